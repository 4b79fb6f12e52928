using Microsoft.Extensions.Options;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>Checks the PostgreSQL settings at start, saying how to fix what is wrong.</summary>
internal sealed class PostgresStorageOptionsValidator : IValidateOptions<PostgresStorageOptions>
{
    private const string Example = "e.g. ConnectionStrings__Postgres=\"Host=db;Port=5432;Database=agenthost;Username=agenthost;Password=…\"";

    public ValidateOptionsResult Validate(string? name, PostgresStorageOptions options)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"ConnectionStrings:Postgres is not a valid PostgreSQL connection string ({e.Message}); {Example}.");
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            return ValidateOptionsResult.Fail($"ConnectionStrings:Postgres names no Host; {Example}.");
        }

        if (builder.MaxPoolSize < 4)
        {
            return ValidateOptionsResult.Fail(
                $"ConnectionStrings:Postgres sets Maximum Pool Size={builder.MaxPoolSize}; a node needs at least 4 connections (runs, leases, notifications); raise it or remove the setting.");
        }

        return ValidateOptionsResult.Success;
    }
}
