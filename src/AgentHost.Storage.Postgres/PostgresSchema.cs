using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// The schema, as an ordered list of migrations applied once each, all pending ones in one transaction that holds an
/// advisory lock on the schema: nodes starting together wait for the first one's migration instead of racing it.
/// Every table carries the <c>project</c> that owns its rows (tenancy); until projects exist all rows are <c>default</c>.
/// </summary>
internal static class PostgresSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE assistants (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE,
            project text NOT NULL DEFAULT 'default', data jsonb NOT NULL);
        CREATE TABLE threads (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE,
            project text NOT NULL DEFAULT 'default', data jsonb NOT NULL);
        CREATE TABLE messages (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE,
            project text NOT NULL DEFAULT 'default', thread_id text NOT NULL, run_id text, status text NOT NULL, data jsonb NOT NULL);
        CREATE INDEX messages_by_thread ON messages (thread_id, seq);
        CREATE INDEX messages_by_run ON messages (run_id, seq) WHERE run_id IS NOT NULL;
        CREATE TABLE runs (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE,
            project text NOT NULL DEFAULT 'default', thread_id text NOT NULL, status text NOT NULL, expires_at bigint,
            lease_owner text, lease_until bigint, data jsonb NOT NULL);
        CREATE INDEX runs_by_thread ON runs (thread_id, seq);
        CREATE INDEX runs_active_by_thread ON runs (thread_id) WHERE status IN ('queued', 'in_progress', 'requires_action', 'cancelling');
        CREATE INDEX runs_resumable ON runs (seq) WHERE status IN ('queued', 'in_progress', 'cancelling');
        CREATE INDEX runs_awaiting_action ON runs (expires_at) WHERE status = 'requires_action';
        CREATE INDEX runs_by_lease_owner ON runs (lease_owner) WHERE lease_owner IS NOT NULL;
        -- A cancel on any node reaches the node executing the run: the notification carries the run id.
        CREATE FUNCTION agenthost_notify_cancel() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('agenthost_cancel', NEW.id);
            RETURN NULL;
        END $$;
        CREATE TRIGGER runs_notify_cancel AFTER UPDATE OF status ON runs FOR EACH ROW
            WHEN (NEW.status = 'cancelling' AND OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION agenthost_notify_cancel();
        CREATE TABLE steps (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE,
            project text NOT NULL DEFAULT 'default', run_id text NOT NULL, thread_id text NOT NULL, status text NOT NULL, data jsonb NOT NULL);
        CREATE INDEX steps_by_run ON steps (run_id, seq);
        CREATE INDEX steps_by_thread ON steps (thread_id);

        CREATE TABLE files (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE,
            project text NOT NULL DEFAULT 'default', purpose text NOT NULL, data jsonb NOT NULL);
        CREATE INDEX files_by_purpose ON files (purpose, seq);
        CREATE TABLE uploads (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE,
            project text NOT NULL DEFAULT 'default', data jsonb NOT NULL);
        CREATE TABLE upload_parts (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE,
            project text NOT NULL DEFAULT 'default', upload_id text NOT NULL, bytes bigint NOT NULL, data jsonb NOT NULL);
        CREATE INDEX upload_parts_by_upload ON upload_parts (upload_id, seq);
        CREATE TABLE vector_stores (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE,
            project text NOT NULL DEFAULT 'default', data jsonb NOT NULL);
        CREATE TABLE vector_store_files (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL,
            project text NOT NULL DEFAULT 'default', vector_store_id text NOT NULL, batch_id text, status text NOT NULL,
            usage_bytes bigint NOT NULL, chunking_type text NOT NULL, max_chunk_tokens integer NOT NULL,
            overlap_tokens integer NOT NULL, lease_until bigint, data jsonb NOT NULL, UNIQUE (vector_store_id, id));
        CREATE INDEX vector_store_files_by_store ON vector_store_files (vector_store_id, seq);
        CREATE INDEX vector_store_files_pending ON vector_store_files (seq) WHERE status = 'in_progress';
        CREATE INDEX vector_store_files_by_batch ON vector_store_files (batch_id, seq) WHERE batch_id IS NOT NULL;
        CREATE INDEX vector_store_files_by_file ON vector_store_files (id);
        CREATE TABLE vector_store_file_batches (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE,
            project text NOT NULL DEFAULT 'default', vector_store_id text NOT NULL, data jsonb NOT NULL);

        CREATE TABLE retrieval_stores (seq bigint GENERATED ALWAYS AS IDENTITY, store_id text PRIMARY KEY,
            project text NOT NULL DEFAULT 'default', embedding_model text NOT NULL, dimensions integer NOT NULL);
        CREATE TABLE retrieval_files (seq bigint GENERATED ALWAYS AS IDENTITY, store_id text NOT NULL, file_id text NOT NULL,
            project text NOT NULL DEFAULT 'default', filename text NOT NULL, attributes text NOT NULL, PRIMARY KEY (store_id, file_id));
        CREATE TABLE retrieval_chunks (store_id text NOT NULL, file_id text NOT NULL, chunk_index integer NOT NULL,
            project text NOT NULL DEFAULT 'default', text text NOT NULL, token_count integer NOT NULL, embedding bytea NOT NULL,
            PRIMARY KEY (store_id, file_id, chunk_index));
        CREATE TABLE retrieval_chunk_index (store_id text NOT NULL, file_id text NOT NULL, chunk_index integer NOT NULL,
            project text NOT NULL DEFAULT 'default', term_total integer NOT NULL, scale real NOT NULL, codes bytea NOT NULL,
            terms bytea NOT NULL, PRIMARY KEY (store_id, file_id, chunk_index));

        CREATE TABLE trace_spans (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE,
            project text NOT NULL DEFAULT 'default', run_id text NOT NULL, thread_id text NOT NULL, assistant_id text NOT NULL,
            session_id text, api_key_id text NOT NULL, kind text NOT NULL, provider text, model text, started_at bigint NOT NULL,
            duration_ms bigint NOT NULL, status text NOT NULL, input_tokens integer NOT NULL, cached_tokens integer NOT NULL,
            cache_write_tokens integer NOT NULL, output_tokens integer NOT NULL, cost_usd double precision NOT NULL, data jsonb NOT NULL);
        CREATE INDEX trace_spans_by_run ON trace_spans (run_id, started_at, seq);
        CREATE INDEX trace_spans_by_thread ON trace_spans (thread_id);
        CREATE INDEX trace_spans_by_session ON trace_spans (session_id, started_at, seq) WHERE session_id IS NOT NULL;
        CREATE INDEX trace_spans_by_time ON trace_spans (started_at);

        CREATE TABLE model_calls (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE,
            project text NOT NULL DEFAULT 'default', started_at bigint NOT NULL, duration_ms bigint NOT NULL, ttft_ms bigint,
            entry_point text NOT NULL, api_key_id text NOT NULL, session_id text, run_id text, thread_id text, assistant_id text,
            provider text, model text NOT NULL, served_model text, status text NOT NULL, error text, stop_reason text,
            input_tokens integer NOT NULL, cached_tokens integer NOT NULL, cache_write_tokens integer NOT NULL,
            output_tokens integer NOT NULL, reasoning_tokens integer NOT NULL, reported boolean NOT NULL, input_pusd bigint NOT NULL,
            cached_pusd bigint NOT NULL, cache_write_pusd bigint NOT NULL, output_pusd bigint NOT NULL, priced_as text,
            tools_offered integer NOT NULL, tool_calls text NOT NULL);
        CREATE INDEX model_calls_by_time ON model_calls (started_at);
        CREATE INDEX model_calls_by_session ON model_calls (session_id, seq) WHERE session_id IS NOT NULL;
        CREATE INDEX model_calls_by_thread ON model_calls (thread_id) WHERE thread_id IS NOT NULL;
        CREATE INDEX model_calls_by_run ON model_calls (run_id) WHERE run_id IS NOT NULL;
        CREATE TABLE usage_totals (scope text NOT NULL, scope_id text NOT NULL, period text NOT NULL,
            project text NOT NULL DEFAULT 'default', calls bigint NOT NULL, unpriced_calls bigint NOT NULL, errors bigint NOT NULL,
            input_tokens bigint NOT NULL, cached_tokens bigint NOT NULL, cache_write_tokens bigint NOT NULL, output_tokens bigint NOT NULL,
            input_pusd bigint NOT NULL, output_pusd bigint NOT NULL, cache_pusd bigint NOT NULL, first_at bigint NOT NULL,
            last_at bigint NOT NULL, last_model text, PRIMARY KEY (scope, scope_id, period));
        CREATE INDEX usage_totals_by_recency ON usage_totals (scope, last_at, scope_id);
        """,
        // Responses, conversations, Messages threads and containers. Their JSON is the front door's own text, kept as
        // written (text, not jsonb): stored stream events are replayed byte for byte.
        """
        CREATE TABLE responses (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE, project text NOT NULL,
            previous_response_id text, conversation_id text, created_at bigint NOT NULL, output_saved boolean NOT NULL, data text NOT NULL);
        CREATE INDEX responses_by_previous ON responses (previous_response_id) WHERE previous_response_id IS NOT NULL;
        CREATE TABLE response_items (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL, project text NOT NULL,
            response_id text NOT NULL, output boolean NOT NULL, data text NOT NULL, UNIQUE (response_id, id));
        CREATE INDEX response_items_by_response ON response_items (response_id, seq);
        CREATE TABLE response_events (project text NOT NULL, response_id text NOT NULL, sequence_number bigint NOT NULL,
            data text NOT NULL, PRIMARY KEY (response_id, sequence_number));
        CREATE TABLE conversations (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE, project text NOT NULL,
            data text NOT NULL);
        CREATE TABLE conversation_items (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL, project text NOT NULL,
            conversation_id text NOT NULL, data text NOT NULL, UNIQUE (conversation_id, id));
        CREATE INDEX conversation_items_by_conversation ON conversation_items (conversation_id, seq);

        CREATE TABLE message_thread_turns (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE,
            project text NOT NULL, thread_id text NOT NULL, previous_message_id text, session_id text, model text NOT NULL,
            created_at bigint NOT NULL, system text, tools text, input text NOT NULL, reply text NOT NULL, stop_reason text);
        CREATE UNIQUE INDEX message_thread_turns_by_previous ON message_thread_turns (previous_message_id) WHERE previous_message_id IS NOT NULL;
        CREATE INDEX message_thread_turns_by_thread ON message_thread_turns (project, thread_id, seq);
        CREATE INDEX message_thread_turns_by_session ON message_thread_turns (project, session_id, seq) WHERE session_id IS NOT NULL;

        CREATE TABLE containers (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE, project text NOT NULL,
            name text NOT NULL, status text NOT NULL, expires_at bigint NOT NULL, data jsonb NOT NULL);
        CREATE INDEX containers_by_expiry ON containers (status, expires_at);
        CREATE INDEX containers_by_project_name ON containers (project, name, seq);
        CREATE TABLE container_files (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE, project text NOT NULL,
            container_id text NOT NULL, path text NOT NULL, bytes bigint NOT NULL, data jsonb NOT NULL, UNIQUE (container_id, path));
        CREATE INDEX container_files_by_container ON container_files (container_id, seq);
        """,
        // Managed Agents: agent versions, environments, sessions (one row per version, lists ordered by the first version's
        // row) and each session's append-only event log.
        """
        CREATE TABLE managed_objects (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, origin bigint NOT NULL, kind text NOT NULL,
            id text NOT NULL, version integer NOT NULL, latest boolean NOT NULL, project text NOT NULL, created_at_ms bigint NOT NULL,
            archived boolean NOT NULL, parent_id text, status text, data text NOT NULL, UNIQUE (kind, id, version));
        CREATE INDEX managed_objects_latest ON managed_objects (kind, origin) WHERE latest;
        CREATE TABLE managed_session_events (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, session_id text NOT NULL, id text NOT NULL,
            project text NOT NULL DEFAULT 'default',
            type text NOT NULL, run_id text, call_id text, processed_at_ms bigint NOT NULL, data text NOT NULL, UNIQUE (session_id, id));
        CREATE INDEX managed_session_events_by_session ON managed_session_events (session_id, seq);
        """,
        // Tenancy: projects and their keys (the key's SHA-256, never its value); every other table has had its project from the start.
        // The default project's row is written on first use (PostgresProjectStore), so a new schema stays empty for `agenthost migrate`.
        """
        CREATE TABLE projects (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, project text NOT NULL UNIQUE, name text NOT NULL,
            created_at bigint NOT NULL, archived_at bigint);
        CREATE TABLE project_keys (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE, project text NOT NULL,
            name text NOT NULL, service_account_id text NOT NULL, redacted_value text NOT NULL, created_at bigint NOT NULL,
            key_hash text NOT NULL UNIQUE);
        CREATE INDEX project_keys_by_project ON project_keys (project, seq);
        """,
        // Streams across nodes: a run queued while a node streams it names that node's watch (watched_by); the node that
        // executes it writes its events here, under the watch, and notifies the watch (never the payload).
        """
        ALTER TABLE runs ADD COLUMN watched_by text;
        CREATE TABLE run_events (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, project text NOT NULL DEFAULT 'default',
            watch text NOT NULL, run_id text NOT NULL, node text NOT NULL, event_seq bigint NOT NULL,
            created_at_ms bigint NOT NULL DEFAULT (extract(epoch FROM now()) * 1000)::bigint, data text NOT NULL, UNIQUE (watch, node, event_seq));
        CREATE INDEX run_events_by_time ON run_events (created_at_ms);
        """,
        // Settings every node sharing the database must agree on (e.g. the reasoning key's fingerprint), first node's value kept.
        """
        CREATE TABLE cluster_settings (name text PRIMARY KEY, project text NOT NULL DEFAULT 'default', value text NOT NULL);
        """,
        // Rate limits: each project's own limits per model (Admin API), the one-minute counter windows every node shares
        // (bucket = project or key, and model), and when each project key was last used.
        """
        CREATE TABLE project_rate_limits (project text NOT NULL, model text NOT NULL, max_requests_per_1_minute bigint,
            max_tokens_per_1_minute bigint, PRIMARY KEY (project, model));
        CREATE TABLE rate_limit_windows (bucket text NOT NULL, window_start bigint NOT NULL, project text NOT NULL DEFAULT 'default',
            requests bigint NOT NULL, tokens bigint NOT NULL, PRIMARY KEY (bucket, window_start));
        ALTER TABLE project_keys ADD COLUMN last_used_at bigint;
        """,
        // Long threads: each message's prompt token count stored when it is written, with the key of what counted it (rows
        // written before have none and are counted when read). Newest-first reads of a thread use messages_by_thread backwards.
        """
        ALTER TABLE messages ADD COLUMN tokens integer;
        ALTER TABLE messages ADD COLUMN tokens_key text;
        """,
        // Per-key rate limits on runs: the key (its id, never its value) each run was created with, so the node executing
        // it counts its model calls against that key's limits; runs created before have none (their project's limits only).
        """
        ALTER TABLE runs ADD COLUMN api_key text;
        """,
        // Session totals per project: usage_totals' project joins its key, so two projects using one client-chosen session id
        // keep separate totals and budgets. A session's row is its project's; every other scope's id belongs to one project
        // and its row has ''. A session row written before belongs to the project of its calls (the default project when
        // none is left); a session whose calls were made in more than one project is split, each project's totals added up
        // again from its model_calls (a call counts when it produced tokens or did not fail).
        """
        ALTER TABLE usage_totals DROP CONSTRAINT usage_totals_pkey;
        ALTER TABLE usage_totals ALTER COLUMN project SET DEFAULT '';
        UPDATE usage_totals SET project = '' WHERE scope <> 'session';
        CREATE TEMP TABLE shared_sessions ON COMMIT DROP AS
            SELECT session_id FROM model_calls WHERE session_id IS NOT NULL GROUP BY session_id HAVING COUNT(DISTINCT project) > 1;
        UPDATE usage_totals AS u SET project = COALESCE((SELECT m.project FROM model_calls AS m WHERE m.session_id = u.scope_id LIMIT 1), 'default')
            WHERE u.scope = 'session' AND u.scope_id NOT IN (SELECT session_id FROM shared_sessions);
        DELETE FROM usage_totals WHERE scope = 'session' AND scope_id IN (SELECT session_id FROM shared_sessions);
        INSERT INTO usage_totals (scope, scope_id, period, project, calls, unpriced_calls, errors, input_tokens, cached_tokens,
            cache_write_tokens, output_tokens, input_pusd, output_pusd, cache_pusd, first_at, last_at, last_model)
        SELECT 'session', m.session_id, '', m.project,
            COUNT(*) FILTER (WHERE m.input_tokens + m.output_tokens > 0 OR m.status <> 'error'),
            COUNT(*) FILTER (WHERE (m.input_tokens + m.output_tokens > 0 OR m.status <> 'error') AND m.priced_as IS NULL),
            COUNT(*) FILTER (WHERE m.status = 'error'), SUM(m.input_tokens), SUM(m.cached_tokens), SUM(m.cache_write_tokens),
            SUM(m.output_tokens), SUM(m.input_pusd), SUM(m.output_pusd), SUM(m.cached_pusd + m.cache_write_pusd), MIN(m.started_at),
            MAX(m.started_at), (array_agg(m.model ORDER BY m.seq DESC))[1]
        FROM model_calls AS m WHERE m.session_id IN (SELECT session_id FROM shared_sessions)
        GROUP BY m.session_id, m.project;
        ALTER TABLE usage_totals ADD PRIMARY KEY (scope, scope_id, period, project);
        CREATE INDEX usage_totals_by_project ON usage_totals (scope, project, last_at, scope_id);
        """,
        // Thread attachments: an index of the files attached to each thread's messages per tool type, backfilled.
        PostgresMessageAttachments.Migration,
        // Usage totals: the indexes that list sessions by recency hold session rows only, so a call's run, assistant,
        // key and project totals move no index entry.
        """
        DROP INDEX usage_totals_by_recency;
        DROP INDEX usage_totals_by_project;
        CREATE INDEX usage_totals_by_recency ON usage_totals (scope, last_at, scope_id) WHERE scope = 'session';
        CREATE INDEX usage_totals_by_project ON usage_totals (scope, project, last_at, scope_id) WHERE scope = 'session';
        """,
    ];

    /// <summary>The migration steps, in order (step N is schema version N).</summary>
    internal static IReadOnlyList<string> Steps => Migrations;

    /// <summary>The version the schema is at after <see cref="MigrateAsync"/>.</summary>
    public static int LatestVersion => Migrations.Length;

    public static async Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var schema = connection.Command("SELECT current_schema()", transaction))
        {
            if (await schema.ExecuteScalarAsync(cancellationToken) is not string)
            {
                throw new InvalidOperationException(
                    "No schema to migrate into: the search path of ConnectionStrings:Postgres names no existing schema (create it, or remove Search Path).");
            }
        }

        await connection.Command("SELECT pg_advisory_xact_lock(hashtext('agenthost.schema.' || current_schema()))", transaction).RunAsync(cancellationToken);

        await connection.Command("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", transaction)
            .RunAsync(cancellationToken);
        await using var read = connection.Command("SELECT COALESCE(MAX(version), 0) FROM schema_version", transaction);
        var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        if (current > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL schema is at version {current}, newer than this AgentHost knows ({Migrations.Length}): upgrade AgentHost on every node.");
        }

        for (var version = current + 1; version <= Migrations.Length; version++)
        {
            await connection.Command(Migrations[version - 1], transaction).RunAsync(cancellationToken);
            await connection.Command("INSERT INTO schema_version (version) VALUES (@version)", transaction, ("@version", version)).RunAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
