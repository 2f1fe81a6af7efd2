using System.Runtime.ExceptionServices;

namespace Dwarfsmith.Dwarf;

/// <summary>
/// Runs jobs one after another, in the order they were queued, on a thread of its own. The pass
/// gives it work that touches nothing the walk touches (line rows, location lists), and the emitter
/// a unit's lists, so that the second core does it while the first goes on. The first job to fail
/// stops the queue; <see cref="Finish"/> rethrows its exception on the caller's thread.
/// </summary>
internal sealed class BackgroundQueue
{
    private readonly Queue<Action> _jobs = new();
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;
    private bool _closed;

    public BackgroundQueue(string name)
    {
        // A thread of its own rather than the thread pool: starting the pool costs more than the
        // few jobs of a run, and a job here runs for tens of milliseconds.
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public void Enqueue(Action job)
    {
        lock (_jobs)
        {
            if (_closed)
                throw new InvalidOperationException("internal: job queued after the queue was finished");
            _jobs.Enqueue(job);
            Monitor.Pulse(_jobs);
        }
    }

    /// <summary>Waits until every job ran; rethrows the first failure.</summary>
    public void Finish()
    {
        lock (_jobs)
        {
            _closed = true;
            Monitor.Pulse(_jobs);
        }

        _thread.Join();
        _failure?.Throw();
    }

    private void Run()
    {
        while (true)
        {
            Action job;
            lock (_jobs)
            {
                while (_jobs.Count == 0 && !_closed)
                    Monitor.Wait(_jobs);
                if (_jobs.Count == 0)
                    return;
                job = _jobs.Dequeue();
            }

            try
            {
                job();
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
                lock (_jobs)
                    _jobs.Clear();
                return;
            }
        }
    }
}
