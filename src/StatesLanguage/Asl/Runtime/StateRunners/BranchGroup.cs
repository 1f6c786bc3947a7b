using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>
/// The branches of a Parallel state or the iterations of a Map state, run side by side in virtual time,
/// each in its own variable scope under the state's cancellation.
/// </summary>
internal static class BranchGroup
{
    /// <summary>
    /// Runs <paramref name="count"/> branches (or iterations) with at most <paramref name="maxConcurrency"/>
    /// at once (0 = all). The first failure cancels the rest and is rethrown once they have unwound.
    /// </summary>
    public static async Task<JValue[]> RunAsync(int count, int maxConcurrency, Frame parent, Func<int, Frame, Task<JValue>> run, Action<int, bool>? onFailed)
    {
        var results = new JValue[count];
        using var group = CancellationTokenSource.CreateLinkedTokenSource(parent.Token);
        StatesException? failure = null;
        var next = 0;

        async Task Worker()
        {
            while (next < count && failure is null && !group.IsCancellationRequested)
            {
                var i = next++;
                var frame = new Frame(new VariableScope(parent.Variables), group.Token);
                try
                {
                    results[i] = await run(i, frame);
                }
                catch (StatesException e) when (!parent.Token.IsCancellationRequested)
                {
                    if (failure is null)
                    {
                        failure = e;
                        group.Cancel();
                    }

                    onFailed?.Invoke(i, false);
                    return;
                }
                catch (OperationCanceledException) when (failure is not null && !parent.Token.IsCancellationRequested)
                {
                    onFailed?.Invoke(i, true);
                    return;
                }
            }
        }

        var workers = maxConcurrency <= 0 ? count : Math.Min(count, maxConcurrency);
        var tasks = new Task[workers];
        for (var w = 0; w < workers; w++)
        {
            tasks[w] = Worker();
        }

        await Task.WhenAll(tasks);
        parent.Token.ThrowIfCancellationRequested();
        return failure is null ? results : throw failure;
    }
}
