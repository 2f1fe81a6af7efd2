using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Tools;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Dwarf.Transform.Tests;

/// <summary>
/// Line rows and location lists translated on the pass's worker thread, while the walk goes on,
/// against the same translated on the walk's thread: the same bytes, the same errors, and the
/// worker used only when the visitor allows it.
/// </summary>
public class WorkerThreadTests
{
    public static TheoryData<string, OptLevel, int> Variants => new()
    {
        { "loops", OptLevel.O2, 4 }, { "structs", OptLevel.O0, 5 }, { "inline", OptLevel.O2, 5 }, { "pointers", OptLevel.O2, 4 },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_worker_gives_the_same_sections(string program, OptLevel opt, int version)
    {
        var module = WasmModule.ReadFile(Corpus.Get(program).BuildWasm(opt, version).Path);
        var concurrent = WasmDwarfRewriter.Rewrite(module, DwarfVisitor.Identity).Dwarf.Sections;
        var sequential = WasmDwarfRewriter.Rewrite(module, new WalkThreadIdentityVisitor()).Dwarf.Sections;
        Assert.Equal(sequential.Keys.Order(StringComparer.Ordinal), concurrent.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in sequential)
            Assert.True(bytes.Span.SequenceEqual(concurrent[name].Span), $"{name} differs");
    }

    [Fact]
    public void Rows_and_lists_run_on_another_thread_only_when_the_visitor_allows_it()
    {
        var module = WasmModule.ReadFile(Corpus.Get("loops").BuildWasm(OptLevel.O2, 5).Path);
        var declared = new ThreadRecordingVisitor(offersWorker: true);
        WasmDwarfRewriter.Rewrite(module, declared);
        var undeclared = new ThreadRecordingVisitor(offersWorker: false);
        WasmDwarfRewriter.Rewrite(module, undeclared);

        Assert.NotEmpty(declared.RowThreads);
        Assert.NotEmpty(declared.LocationThreads);
        Assert.Equal([undeclared.WalkThread], undeclared.RowThreads);
        Assert.Equal([undeclared.WalkThread], undeclared.LocationThreads);
        if (Environment.ProcessorCount > 1)
        {
            Assert.DoesNotContain(declared.WalkThread, declared.RowThreads);
            Assert.DoesNotContain(declared.WalkThread, declared.LocationThreads);
        }
        else
        {
            Assert.Equal([declared.WalkThread], declared.RowThreads); // one core: no worker
        }
    }

    /// <summary>Each named section damaged (several at once: whose error comes first must not depend on the threads).</summary>
    [Theory]
    [InlineData(DwarfSections.Line)]
    [InlineData(DwarfSections.Loclists)]
    [InlineData(DwarfSections.Info)]
    [InlineData(DwarfSections.Line, DwarfSections.Loclists)]
    public void Damage_fails_the_same_on_either_thread(params string[] damagedSections)
    {
        var path = Corpus.Get("recursion").BuildWasm(OptLevel.O2, 5).Path;
        var sections = DwarfContainers.FromWasm(WasmModule.ReadFile(path));
        string what = string.Join(" and ", damagedSections);
        int failures = 0;
        for (int seed = 0; seed < 60; seed++)
        {
            var damaged = new DwarfSections(
                sections.AddressSize,
                sections.All.Select(s => damagedSections.Contains(s.Name) ? s with { Data = ByteMutator.Mutate(s.Data.Span, seed).Bytes } : s),
                sections.ZeroIsTombstone);
            var concurrent = Outcome(damaged, DwarfVisitor.Identity);
            var sequential = Outcome(damaged, new WalkThreadIdentityVisitor());
            Assert.True(sequential == concurrent, $"seed {seed}: on the walk's thread {sequential}, on the worker {concurrent}");
            if (concurrent.StartsWith("error", StringComparison.Ordinal))
                failures++;
        }

        Assert.True(failures >= 10, $"only {failures} of 60 damaged {what} failed");
    }

    /// <summary>The rewrite's sections joined into one string, or its error: anything but a DwarfFormatException fails the test.</summary>
    private static string Outcome(DwarfSections input, DwarfVisitor visitor)
    {
        try
        {
            var sections = DwarfRewriter.Rewrite(input, visitor).Sections;
            return string.Join(",", sections.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}:{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(s.Value.Span))}"));
        }
        catch (DwarfFormatException e)
        {
            return $"error {e.Section} 0x{e.Offset:x}: {e.Message}";
        }
    }

    /// <summary>The identity, but overriding a row hook and a list hook without offering a worker visitor: everything stays on the walk's thread.</summary>
    private sealed class WalkThreadIdentityVisitor : DwarfVisitor
    {
        public override void VisitLineRow(in LineRow row, LineSequenceSink output) => output.Keep(row);

        public override void VisitLocation(in LocationListEntry entry, LocationSink output) => output.Keep(entry);
    }

    private sealed class ThreadRecordingVisitor(bool offersWorker) : DwarfVisitor
    {
        public int WalkThread { get; private set; }

        public HashSet<int> RowThreads { get; } = [];

        public HashSet<int> LocationThreads { get; } = [];

        public override DwarfVisitor? WorkerVisitor() => offersWorker ? this : null;

        public override void BeginUnit(Unit input, Writing.UnitBuilder output) => WalkThread = Environment.CurrentManagedThreadId;

        public override void VisitLineRow(in LineRow row, LineSequenceSink output)
        {
            lock (RowThreads)
                RowThreads.Add(Environment.CurrentManagedThreadId);
            output.Keep(row);
        }

        public override void VisitLocation(in LocationListEntry entry, LocationSink output)
        {
            lock (LocationThreads)
                LocationThreads.Add(Environment.CurrentManagedThreadId);
            output.Keep(entry);
        }
    }
}
