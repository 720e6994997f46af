using System.Text.Json.Nodes;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Slack.WebApi;

namespace FollowUpBot.Platforms.Slack.Outbound;

/// <summary>
/// Shares a file in a conversation the way Slack now requires (files.upload is retired): files.getUploadURLExternal
/// reserves an upload_url and a file id, the bytes are POSTed to that URL, and files.completeUploadExternal shares the
/// file in the channel with the message text as its comment. Answers with the first step that failed, if any.
/// </summary>
public sealed class SlackFileUploads(SlackApiClient api)
{
    public async Task<PlatformCallResult> ShareAsync(string channelId, Attachment file, string? comment, CancellationToken cancellationToken)
    {
        var reserve = new Dictionary<string, string>
        {
            ["filename"] = file.FileName,
            ["length"] = file.Content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        // An image's description for screen readers; Slack takes up to 1,000 characters.
        if (file.AltText is { Length: > 0 } alt) reserve["alt_txt"] = alt.Length <= 1000 ? alt : alt[..999] + "…";
        var ticket = await api.PostFormAsync("files.getUploadURLExternal", reserve, cancellationToken).ConfigureAwait(false);
        if (!ticket.IsSuccess) return ticket;
        var uploadUrl = ticket.GetString("upload_url");
        var fileId = ticket.GetString("file_id");
        if (fileId is null || !Uri.TryCreate(uploadUrl, UriKind.Absolute, out var url))
            return SlackErrors.InvalidResponse(ticket.Status, "no upload_url or file_id");

        var uploaded = await api.UploadAsync(url, file.Content, file.ContentType, cancellationToken).ConfigureAwait(false);
        if (!uploaded.IsSuccess) return uploaded;

        var arguments = new Dictionary<string, string>
        {
            ["files"] = new JsonArray(new JsonObject { ["id"] = fileId, ["title"] = file.FileName }).ToJsonString(),
            ["channel_id"] = channelId,
        };
        if (!string.IsNullOrWhiteSpace(comment)) arguments["initial_comment"] = comment;
        return await api.PostFormAsync("files.completeUploadExternal", arguments, cancellationToken).ConfigureAwait(false);
    }
}
