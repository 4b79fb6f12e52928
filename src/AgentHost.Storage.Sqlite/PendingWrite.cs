using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// One caller's write waiting for <see cref="SqliteDatabase"/>'s writer. The writer claims it before running it; a caller
/// whose token is cancelled first gets a cancelled task and the work never runs. The work runs in its caller's execution
/// context, whichever thread commits it, so what the caller's async-locals hold (its <c>ProjectScope</c>) holds in it.
/// </summary>
internal sealed class PendingWrite
{
    private const int Waiting = 0, Claimed = 1, Cancelled = 2;

    private readonly Func<SqliteConnection, SqliteTransaction, object?> work;
    private readonly ExecutionContext? context = ExecutionContext.Capture();
    private readonly TaskCompletionSource<object?> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int state;
    private object? result;
    private Exception? failure;

    public PendingWrite(Func<SqliteConnection, SqliteTransaction, object?> work) => this.work = work;

    public Task<object?> Task => completion.Task;

    /// <summary>True when the work ran and threw; its writes were rolled back.</summary>
    public bool Failed => failure is not null;

    public bool TryClaim() => Interlocked.CompareExchange(ref state, Claimed, Waiting) == Waiting;

    public void Cancel(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref state, Cancelled, Waiting) == Waiting)
        {
            completion.TrySetCanceled(cancellationToken);
        }
    }

    /// <summary>Runs the work, keeping its result or exception until the transaction it ran in has committed or failed.</summary>
    public void Run(SqliteConnection connection, SqliteTransaction transaction)
    {
        try
        {
            if (context is null)
            {
                result = work(connection, transaction);
            }
            else
            {
                ExecutionContext.Run(context, static state =>
                {
                    var (write, connection, transaction) = ((PendingWrite, SqliteConnection, SqliteTransaction))state!;
                    write.result = write.work(connection, transaction);
                }, (this, connection, transaction));
            }
        }
        catch (Exception exception)
        {
            failure = exception;
        }
    }

    /// <summary>The transaction committed: the caller gets what its work returned or threw.</summary>
    public void Committed()
    {
        if (failure is null)
        {
            completion.TrySetResult(result);
        }
        else
        {
            completion.TrySetException(failure);
        }
    }

    /// <summary>The transaction was lost: nothing of this work is stored.</summary>
    public void Lost(Exception exception) => completion.TrySetException(failure ?? exception);
}
