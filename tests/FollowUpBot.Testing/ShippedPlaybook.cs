using FollowUpBot.Core.Playbooks;

namespace FollowUpBot.Testing;

/// <summary>The playbook the bot ships (bot-config/playbook.json, copied beside each test assembly), read once.</summary>
public static class ShippedPlaybook
{
    public static Playbook Instance { get; } =
        Playbook.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "bot-config", "playbook.json")));
}
