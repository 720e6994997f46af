using System.Text.Json.Nodes;

namespace FollowUpBot.Platforms.Discord.Commands;

/// <summary>
/// The slash commands, in the body of Discord's bulk overwrite. Option names are the console's, so the engine
/// sees the same names from every platform. New commands (the coaches' /cohort) are added to <see cref="All"/>.
/// </summary>
public static class DiscordCommands
{
    private const int SubCommand = 1, String = 3, Integer = 4, Boolean = 5, Channel = 7;
    private const int GuildText = 0;

    public static JsonArray All(bool guildOnly) =>
    [
        Command("interview", "Log an interview and get reminded to follow up at the right moments", guildOnly,
            Sub("done", "Log an interview you just finished (anything left out is asked next)", InterviewOptions()),
            Sub("list", "Show your applications, their stage and what comes next"),
            Sub("show", "Show the whole plan of one application",
                Option(Integer, "id", "The interview's number from /interview list", minValue: 1)),
            Sub("outcome", "Record how an interview turned out",
                Option(Integer, "id", "The interview's number from /interview list", required: true, minValue: 1),
                Option(String, "result", "What happened", required: true,
                    choices: [("Offer", "offer"), ("Next round", "next-round"), ("Rejected", "rejected"),
                        ("They replied: still deciding", "waiting"), ("No reply to my follow-up yet", "no-reply"),
                        ("Withdrawn (or I declined their offer)", "withdrawn"), ("I accepted their offer", "accepted"),
                        ("Close it: they never replied", "closed")]),
                Option(String, "next-round", "With a next round: its date and time, e.g. 2026-12-15T10:00", maxLength: 40),
                Option(String, "deadline", "With an offer: the day they want your answer by, e.g. 2026-12-18", maxLength: 40)),
            Sub("followup", "Log that you followed up on an interview",
                Option(Integer, "id", "The interview's number from /interview list", required: true, minValue: 1)),
            Sub("forget", "Delete an interview and its reminders",
                Option(Integer, "id", "The interview's number from /interview list", required: true, minValue: 1)),
            Sub("edit", "Change what you recorded; its reminders are re-planned",
                [Option(Integer, "id", "The interview's number from /interview list", required: true, minValue: 1), .. InterviewOptions()])),
        Command("followup", "Your FollowUpBot settings and help", guildOnly,
            Sub("settings", "Set your time zone, quiet hours and public holidays",
                Option(String, "time-zone", "Your time zone, e.g. Europe/Berlin or America/New_York", maxLength: 64),
                Option(String, "quiet-hours", "Hours without reminders, e.g. 21:00-08:00", maxLength: 11),
                Option(String, "holidays", "Your country's public holidays, e.g. US, GB, DE, or none", maxLength: 4)),
            Sub("help", "How FollowUpBot works"),
            Sub("export", "Get everything FollowUpBot stores about you, as a file"),
            Sub("delete-my-data", "Delete everything FollowUpBot stores about you (asks first)")),
        Command("cohort", "Job-search cohorts followed by a career coach", guildOnly,
            Sub("join", "Join a coach's cohort; you choose what the coaches see",
                Option(String, "code", "The code your coach gave you", required: true, maxLength: 20)),
            Sub("level", "Change what a cohort's coaches see",
                Option(String, "cohort", "Which cohort, when you are in more than one", maxLength: 100),
                Option(String, "level", "What the coaches may see", choices: [("Status only", "status"), ("Companies", "companies"), ("Everything", "full")])),
            Sub("leave", "Leave a cohort",
                Option(String, "cohort", "Which cohort, when you are in more than one", maxLength: 100)),
            Sub("create", "(coaches) Start a cohort followed from a channel",
                Option(String, "name", "The cohort's name, e.g. Fall 2026", maxLength: 100),
                Option(Channel, "channel", "Where the digests are posted", channelTypes: [GuildText]),
                Option(String, "time-zone", "The digests' time zone, e.g. Europe/Berlin", maxLength: 64),
                Option(String, "schedule", "When the digest is posted, e.g. \"monday 09:00\"", maxLength: 60)),
            Sub("status", "(coaches) Where each member stands",
                Option(String, "cohort", "Which cohort, when you coach more than one", maxLength: 100)),
            Sub("digest", "(coaches) Change when the digest is posted",
                Option(String, "cohort", "Which cohort, when you coach more than one", maxLength: 100),
                Option(String, "schedule", "When the digest is posted, e.g. \"monday 09:00\"", maxLength: 60),
                Option(String, "time-zone", "The digests' time zone, e.g. Europe/Berlin", maxLength: 64)),
            Sub("dashboard", "(coaches) A private one-time link to the web view of your cohorts")),
    ];

    /// <summary>What /interview done asks, also what /interview edit may change (each call makes new nodes: a JSON node has one parent).</summary>
    private static JsonObject[] InterviewOptions() =>
    [
        Option(String, "company", "The company you interviewed with", maxLength: 100),
        Option(String, "role", "The role you interviewed for", maxLength: 100),
        Option(String, "interviewers", "Who interviewed you, separated by commas", maxLength: 300),
        Option(String, "format", "How the interview took place", choices: [("Phone", "phone"), ("Video", "video"), ("On site", "onsite")]),
        Option(String, "decision-date", "When they said they would decide (yyyy-mm-dd), or \"not said\"", maxLength: 40),
        Option(Boolean, "follow-up-invited", "Did they invite you to follow up with the hiring manager directly?"),
        Option(String, "references", "References who may be contacted, separated by commas", maxLength: 300),
        Option(String, "ended", "When it ended, e.g. \"now\", \"14:30\" or \"2026-03-02 14:30\"", maxLength: 40),
        Option(String, "notes", "Your first notes: what went well, what was hard", maxLength: 1000),
    ];

    private static JsonObject Command(string name, string description, bool guildOnly, params JsonObject[] subcommands)
    {
        var command = new JsonObject
        {
            ["name"] = name,
            ["type"] = 1,
            ["description"] = description,
            ["options"] = new JsonArray(subcommands),
        };
        // Installation and context fields are documented for global commands only: a guild command lives in its
        // guild, so it is sent without them. Global commands are for guild installs and also work in a DM with the bot.
        if (!guildOnly)
        {
            command["integration_types"] = new JsonArray(0);
            command["contexts"] = new JsonArray(0, 1);
        }
        return command;
    }

    private static JsonObject Sub(string name, string description, params JsonObject[] options)
    {
        var sub = new JsonObject { ["type"] = SubCommand, ["name"] = name, ["description"] = description };
        if (options.Length > 0) sub["options"] = new JsonArray(options);
        return sub;
    }

    private static JsonObject Option(int type, string name, string description, bool required = false, int? maxLength = null,
        long? minValue = null, (string Name, string Value)[]? choices = null, int[]? channelTypes = null)
    {
        var option = new JsonObject { ["type"] = type, ["name"] = name, ["description"] = description };
        if (required) option["required"] = true;
        if (maxLength is { } max) option["max_length"] = max;
        if (minValue is { } min) option["min_value"] = min;
        if (channelTypes is not null) option["channel_types"] = new JsonArray(channelTypes.Select(t => (JsonNode)t).ToArray());
        if (choices is not null)
            option["choices"] = new JsonArray(choices.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["value"] = c.Value }).ToArray());
        return option;
    }
}
