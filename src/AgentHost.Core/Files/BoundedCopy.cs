namespace AgentHost.Core.Files;

/// <summary>Copies content to a new file, refusing it once it runs past a limit; a refused or failed copy leaves no file.</summary>
public static class BoundedCopy
{
    public static async Task<long> ToFileAsync(Stream content, string path, long maxBytes, string setting, CancellationToken cancellationToken)
    {
        try
        {
            await using var target = new FileStream(path, PrivateStorage.NewFile());
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw FileLimits.TooLarge(maxBytes, setting);
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            await target.FlushAsync(cancellationToken);
            return total;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }
}
