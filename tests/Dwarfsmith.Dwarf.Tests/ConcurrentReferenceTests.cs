using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Transform;
using Dwarfsmith.Dwarf.Writing;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Dwarf.Tests;

/// <summary>
/// References resolved in two halves on two threads, against the same resolved on one: the same
/// sections byte for byte, and the same warnings in the same order.
/// </summary>
public class ConcurrentReferenceTests
{
    public static TheoryData<string, Producer, OptLevel, int> Inputs => new()
    {
        { "structs", Producer.Wasm, OptLevel.O0, 4 },
        { "inline", Producer.Wasm, OptLevel.O2, 5 },
        { "pointers", Producer.HostClang, OptLevel.O2, 5 },
        { "structs", Producer.HostGcc, OptLevel.O2, 4 },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Two_threads_resolve_references_as_one_does(string program, Producer producer, OptLevel opt, int version)
    {
        var input = DwarfInputs.Load(DwarfInputs.Build(program, producer, opt, version));
        // Typedefs left out: the references to them are dropped, each with a warning.
        var oneThread = DwarfTransform.Run(new DwarfContext(input), new TypedefDroppingVisitor(), concurrentReferenceEntries: int.MaxValue);
        var twoThreads = DwarfTransform.Run(new DwarfContext(input), new TypedefDroppingVisitor(), concurrentReferenceEntries: 1);

        Assert.True(oneThread.Warnings.Count >= 2, $"{oneThread.Warnings.Count} warnings: too few to tell their order");
        Assert.Equal(oneThread.Warnings, twoThreads.Warnings);
        var one = oneThread.Output.Emit();
        var two = twoThreads.Output.Emit();
        Assert.Equal(one.Keys, two.Keys);
        foreach (string name in one.Keys)
            Assert.True(one[name].Span.SequenceEqual(two[name].Span), $"{name} differs");
    }

    private sealed class TypedefDroppingVisitor : DwarfVisitor
    {
        public override EntryAction VisitEntry(EntryCursor entry, EntryBuilder parent) =>
            entry.Tag == DwTag.DW_TAG_typedef ? EntryAction.Drop : EntryAction.Keep;
    }
}
