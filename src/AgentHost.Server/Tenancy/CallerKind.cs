namespace AgentHost.Server.Tenancy;

/// <summary>Who is calling, as the key they sent says.</summary>
internal enum CallerKind
{
    /// <summary>No key is configured (loopback only): everything belongs to the default project.</summary>
    Open,

    /// <summary>The admin key: the Admin API, and read access to every project.</summary>
    Admin,

    /// <summary>A project's key (or the single configured key, the default project's).</summary>
    Project,
}
