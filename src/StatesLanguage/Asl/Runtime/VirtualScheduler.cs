using System.Collections.Concurrent;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>
/// One virtual clock and a single-threaded scheduler shared by every execution and simulated service.
/// <para>
/// All simulation code runs on the thread that calls <see cref="Run{T}"/>, under a synchronization
/// context that queues continuations, so interleaving is deterministic. Time only moves when nothing
/// is runnable: the clock then jumps to the earliest timer. A 24-hour Wait therefore costs a heap
/// operation, not a day. Real I/O (dynalite, handlers) is wrapped in <see cref="External{T}"/>, which
/// holds the clock still until the I/O completes.
/// </para>
/// </summary>
public sealed class VirtualScheduler : IDisposable
{
    private readonly PriorityQueue<Timer, (long Ticks, long Sequence)> _timers = new();
    private readonly ConcurrentQueue<(SendOrPostCallback Callback, object? State)> _ready = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Context _context;
    private long _sequence;
    private int _externalPending;
    private int _ownerThread = -1;

    public VirtualScheduler(DateTimeOffset start)
    {
        Now = start.ToUniversalTime();
        _context = new Context(this);
    }

    /// <summary>The virtual time.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>
    /// Virtual seconds per real second when pacing for people (0, the default, runs as fast as possible).
    /// </summary>
    public double Speed { get; set; }

    /// <summary>Raised after the clock moves, with the previous time; used by live progress displays.</summary>
    public event Action<DateTimeOffset>? ClockAdvanced;

    public int PendingTimers => _timers.Count;

    /// <summary>Completes after <paramref name="delay"/> of virtual time.</summary>
    public Task Delay(TimeSpan delay, CancellationToken cancellationToken = default) =>
        WaitUntil(Now + (delay < TimeSpan.Zero ? TimeSpan.Zero : delay), cancellationToken);

    /// <summary>Completes when the virtual clock reaches <paramref name="when"/> (at once if it has).</summary>
    public Task WaitUntil(DateTimeOffset when, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var completion = new TaskCompletionSource();
        var timer = Schedule(when, () => completion.TrySetResult());
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                timer.Cancel();
                completion.TrySetCanceled(cancellationToken);
            });
            completion.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return completion.Task;
    }

    /// <summary>Runs <paramref name="action"/> on the scheduler thread when the clock reaches <paramref name="when"/>.</summary>
    public Timer Schedule(DateTimeOffset when, Action action)
    {
        if (when < Now)
        {
            when = Now;
        }

        var timer = new Timer(when, action);
        _timers.Enqueue(timer, (when.UtcTicks, _sequence++));
        return timer;
    }

    /// <summary>Queues <paramref name="action"/> to run on the scheduler thread as soon as possible.</summary>
    public void Post(Action action) => _context.Post(_ => action(), null);

    /// <summary>
    /// Awaits real (non-simulated) work while keeping virtual time still, so a dynalite round trip
    /// never lets a bake timer fire early.
    /// </summary>
    public async Task<T> External<T>(Task<T> work)
    {
        if (work.IsCompleted)
        {
            return await work;
        }

        Interlocked.Increment(ref _externalPending);
        try
        {
            // The continuation is posted back to the scheduler thread (our synchronization context)
            // before the counter drops, so the run loop never sees "idle" in between.
            return await work;
        }
        finally
        {
            Interlocked.Decrement(ref _externalPending);
        }
    }

    public async Task External(Task work) => await External(WrapVoid(work));

    /// <summary>Runs <paramref name="main"/> and everything it schedules until it completes.</summary>
    public T Run<T>(Func<Task<T>> main)
    {
        Task<T>? task = null;
        RunLoop(() =>
        {
            task = main();
            return task;
        });
        return task!.GetAwaiter().GetResult();
    }

    public void Run(Func<Task> main) => RunLoop(main);

    /// <summary>Processes queued work and timers until <paramref name="until"/> holds or nothing is left to do.</summary>
    public void RunUntil(Func<bool> until) => RunLoop(null, until);

    /// <summary>Advances virtual time by <paramref name="span"/>, running everything due on the way.</summary>
    public void Advance(TimeSpan span)
    {
        var target = Now + span;
        var marker = Schedule(target, () => { });
        RunLoop(null, () => Now >= target && !_timers.UnorderedItems.Any(t => t.Element == marker));
    }

    private void RunLoop(Func<Task>? start, Func<bool>? until = null)
    {
        var previous = SynchronizationContext.Current;
        var outerOwner = _ownerThread;
        _ownerThread = Environment.CurrentManagedThreadId;
        SynchronizationContext.SetSynchronizationContext(_context);
        try
        {
            var main = start?.Invoke();
            while (true)
            {
                Drain();
                if (main is { IsCompleted: true } || (until?.Invoke() ?? false))
                {
                    return;
                }

                if (Volatile.Read(ref _externalPending) > 0)
                {
                    // Real I/O is in flight: block until something is posted. Resetting before the next
                    // Drain cannot lose a wake-up, because Drain always runs after the reset.
                    _wake.Wait();
                    _wake.Reset();
                    continue;
                }

                if (!FireNextTimers())
                {
                    return; // idle: nothing runnable, no timers, no I/O in flight
                }
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
            _ownerThread = outerOwner;
        }
    }

    private void Drain()
    {
        while (_ready.TryDequeue(out var item))
        {
            item.Callback(item.State);
        }
    }

    /// <summary>Moves the clock to the earliest live timer and fires it; false when none is left.</summary>
    private bool FireNextTimers()
    {
        while (_timers.TryPeek(out var timer, out _) && timer.Cancelled)
        {
            _timers.Dequeue();
        }

        if (!_timers.TryDequeue(out var next, out _))
        {
            return false;
        }

        if (next.When > Now)
        {
            var before = Now;
            if (Speed > 0)
            {
                var realDelay = TimeSpan.FromSeconds((next.When - before).TotalSeconds / Speed);
                Thread.Sleep(realDelay < TimeSpan.FromSeconds(5) ? realDelay : TimeSpan.FromSeconds(5));
            }

            Now = next.When;
            ClockAdvanced?.Invoke(before);
        }

        next.Fire();
        return true;
    }

    public void Dispose() => _wake.Dispose();

    private static async Task<bool> WrapVoid(Task work)
    {
        await work;
        return true;
    }

    /// <summary>A scheduled callback; cancel it to make the scheduler skip it without moving the clock.</summary>
    public sealed class Timer(DateTimeOffset when, Action action)
    {
        public DateTimeOffset When { get; } = when;

        public bool Cancelled { get; private set; }

        public void Cancel() => Cancelled = true;

        internal void Fire()
        {
            if (!Cancelled)
            {
                Cancelled = true;
                action();
            }
        }
    }

    private sealed class Context(VirtualScheduler owner) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state)
        {
            owner._ready.Enqueue((d, state));
            owner._wake.Set();
        }

        public override void Send(SendOrPostCallback d, object? state)
        {
            if (Environment.CurrentManagedThreadId == owner._ownerThread)
            {
                d(state);
            }
            else
            {
                using var done = new ManualResetEventSlim();
                Post(_ => { d(state); done.Set(); }, null);
                done.Wait();
            }
        }

        public override SynchronizationContext CreateCopy() => this;
    }
}
