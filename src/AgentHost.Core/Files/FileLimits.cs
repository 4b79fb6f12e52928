using AgentHost.Core.Errors;

namespace AgentHost.Core.Files;

/// <summary>Size limits of files and uploads (section <c>AgentHost:Files</c>).</summary>
public sealed class FileLimits
{
    /// <summary>Largest file one <c>POST /v1/files</c> takes. Default 512 MB, as the original.</summary>
    public long MaxFileBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Largest file an upload (<c>/v1/uploads</c>) may assemble. Default 8 GB, as the original.</summary>
    public long MaxUploadBytes { get; set; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Largest single upload part. Default 64 MB, as the original.</summary>
    public long MaxPartBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long an upload accepts parts before it expires. Default one hour, as the original.</summary>
    public TimeSpan UploadLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often expired uploads are marked so and their parts deleted. Default ten minutes.</summary>
    public TimeSpan UploadSweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    public static ApiException TooLarge(long limit, string setting) => ApiException.Invalid(
        $"File is too large: the limit is {limit} bytes (setting AgentHost:Files:{setting}).", "file", "file_too_large");
}
