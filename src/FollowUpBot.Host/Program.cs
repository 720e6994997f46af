using FollowUpBot.Host;

// followupbot [run] | console | plan: the commands and their options live in BotCommandLine.
return await BotCommandLine.InvokeAsync(args, HostTerminal.FromConsole());
