using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FollowUpBot.Testing.Slack;

// Slack's external upload flow (files.getUploadURLExternal, POST to upload_url, files.completeUploadExternal) as its
// method pages describe it: the URL method takes form arguments filename and length and answers upload_url and file_id;
// alt_txt (an image's description, at most 1,000 characters) is optional; the bytes go raw or multipart to the upload_url (HTTP 200 "OK - <length>"); the complete method takes files, a JSON
// array of {id, title}, and channel_id, and only then is the file shared, with initial_comment as its message.
public sealed partial class FakeSlack
{
    private readonly ConcurrentDictionary<string, PendingUpload> _pendingUploads = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SharedFile> _sharedFiles = new();

    private sealed record PendingUpload(string FileName, long Length, string? AltText)
    {
        public byte[]? Content { get; set; }
        public string? ContentType { get; set; }
        public bool SentWithToken { get; set; }
    }

    /// <summary>Files shared with files.completeUploadExternal, in order.</summary>
    public IReadOnlyList<SharedFile> SharedFiles => _sharedFiles.ToList();

    private JsonObject GetUploadUrl(JsonObject args, string? contentType)
    {
        // The method page lists application/x-www-form-urlencoded only.
        if (contentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) != true)
        {
            Problems.Enqueue("files.getUploadURLExternal: arguments must be form encoded");
            return Error("invalid_arguments");
        }
        var fileName = args["filename"]?.ToString();
        if (string.IsNullOrWhiteSpace(fileName)) return Error("invalid_arguments");
        if (!long.TryParse(args["length"]?.ToString(), out var length) || length <= 0) return Error("invalid_arguments");
        var altText = args["alt_txt"]?.ToString();
        if (altText is { Length: > 1000 }) return Error("invalid_arguments");
        var fileId = $"F{Interlocked.Increment(ref _sequence)}";
        _pendingUploads[fileId] = new PendingUpload(fileName, length, altText);
        return new JsonObject { ["ok"] = true, ["upload_url"] = new Uri(BaseUrl, $"upload/{fileId}").ToString(), ["file_id"] = fileId };
    }

    private async Task HandleUploadAsync(HttpContext context, string fileId)
    {
        if (!_pendingUploads.TryGetValue(fileId, out var pending))
        {
            context.Response.StatusCode = 404;
            return;
        }
        byte[] content;
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync();
            var file = form.Files.FirstOrDefault();
            if (file is null)
            {
                context.Response.StatusCode = 400;
                return;
            }
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy);
            content = copy.ToArray();
        }
        else
        {
            using var copy = new MemoryStream();
            await context.Request.Body.CopyToAsync(copy);
            content = copy.ToArray();
        }
        if (content.Length != pending.Length)
        {
            Problems.Enqueue($"upload {fileId}: {content.Length} bytes sent, {pending.Length} announced");
            context.Response.StatusCode = 400;
            return;
        }
        pending.Content = content;
        pending.ContentType = context.Request.ContentType;
        pending.SentWithToken = context.Request.Headers.Authorization.Count > 0;
        await context.Response.WriteAsync($"OK - {content.Length}");
    }

    private JsonObject CompleteUpload(JsonObject args)
    {
        var files = args["files"] switch
        {
            JsonArray array => array,
            JsonValue value when value.TryGetValue<string>(out var text) => JsonNode.Parse(text) as JsonArray,
            _ => null,
        };
        if (files is not { Count: > 0 })
        {
            Problems.Enqueue("files.completeUploadExternal: files must be a JSON array of {id, title}");
            return Error("invalid_arguments");
        }
        var channel = args["channel_id"]?.ToString();
        if (channel is not null && !ChannelExists(channel)) return Error("channel_not_found");

        var shared = new JsonArray();
        foreach (var item in files.OfType<JsonObject>())
        {
            var id = item["id"]?.ToString() ?? "";
            if (!_pendingUploads.TryRemove(id, out var pending) || pending.Content is null)
            {
                Problems.Enqueue($"files.completeUploadExternal: file {id} was never uploaded");
                return Error("invalid_arguments");
            }
            var file = new SharedFile(id, pending.FileName, item["title"]?.ToString(), pending.Content, pending.ContentType, channel,
                args["initial_comment"]?.ToString(), pending.SentWithToken, pending.AltText);
            _sharedFiles.Enqueue(file);
            shared.Add(new JsonObject { ["id"] = id, ["name"] = pending.FileName, ["title"] = file.Title ?? pending.FileName });
        }
        if (channel is not null)
        {
            var message = new PostedMessage(channel, NextTs(), args["initial_comment"]?.ToString() ?? "", null, null);
            lock (_gate) _messages.Add(message);
        }
        return new JsonObject { ["ok"] = true, ["files"] = shared };
    }
}

/// <summary>A file shared through the upload flow: its bytes as uploaded, where it went, the comment it came with.</summary>
public sealed record SharedFile(string FileId, string FileName, string? Title, byte[] Content, string? ContentType, string? Channel,
    string? InitialComment, bool UploadCarriedToken, string? AltText = null);
