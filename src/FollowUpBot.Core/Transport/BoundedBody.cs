namespace FollowUpBot.Core.Transport;

/// <summary>
/// Reads a request body up to a limit, whatever its framing: a chunked body announces no length, so the bytes are
/// counted as they arrive and reading stops at the first byte past the limit, before the rest is taken in.
/// </summary>
public static class BoundedBody
{
    /// <summary>What the platforms' HTTP endpoints accept: far above any interaction, far below a memory problem.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The body, or null when it is longer than <paramref name="max"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(Stream body, long? declaredLength, CancellationToken cancellationToken, int max = MaxBytes)
    {
        if (declaredLength > max) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
