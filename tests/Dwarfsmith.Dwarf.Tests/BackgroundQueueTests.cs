using Xunit;

namespace Dwarfsmith.Dwarf.Tests;

public class BackgroundQueueTests
{
    [Fact]
    public void Jobs_run_in_order_on_another_thread()
    {
        var queue = new BackgroundQueue("test");
        var ran = new List<int>();
        var threads = new HashSet<int>();
        for (int i = 0; i < 100; i++)
        {
            int job = i;
            queue.Enqueue(() =>
            {
                ran.Add(job);
                threads.Add(Environment.CurrentManagedThreadId);
            });
        }

        queue.Finish();
        Assert.Equal(Enumerable.Range(0, 100), ran);
        Assert.DoesNotContain(Environment.CurrentManagedThreadId, threads);
        Assert.Single(threads);
    }

    [Fact]
    public void The_first_failure_stops_the_queue_and_is_rethrown_by_Finish()
    {
        var queue = new BackgroundQueue("test");
        var ran = new List<int>();
        using var gate = new ManualResetEventSlim();
        queue.Enqueue(gate.Wait); // holds the worker until every job is queued
        queue.Enqueue(() => ran.Add(1));
        queue.Enqueue(() => throw new DwarfFormatException("damaged", ".debug_line", 0x42));
        queue.Enqueue(() => ran.Add(3));
        gate.Set();

        var error = Assert.Throws<DwarfFormatException>(queue.Finish);
        Assert.Equal(0x42, error.Offset);
        Assert.Equal([1], ran);
    }
}
