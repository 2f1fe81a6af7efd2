using Dwarfsmith.Dwarf.Reading;
using Dwarfsmith.Dwarf.Transform;
using Dwarfsmith.Dwarf.Writing;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Dwarf.Tests;

/// <summary>
/// DWARF 4 lists emitted on a second thread while the unit's entries are laid out, against the same
/// lists emitted first on one thread: the same sections byte for byte, and the same error.
/// </summary>
public class ConcurrentListEmissionTests
{
    public static TheoryData<string, Producer, OptLevel> Inputs => new()
    {
        { "loops", Producer.Wasm, OptLevel.O2 },
        { "inline", Producer.Wasm, OptLevel.O2 },
        { "pointers", Producer.HostClang, OptLevel.O2 },
        { "floats", Producer.HostGcc, OptLevel.O2 },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Lists_emitted_beside_the_entries_give_the_same_sections(string program, Producer producer, OptLevel opt)
    {
        var output = Model(program, producer, opt);
        Assert.Contains(output.Units, u => u.LocationLists.Count > 0);
        var oneThread = new DwarfEmitter(output, concurrentLists: int.MaxValue).Emit();
        var twoThreads = new DwarfEmitter(output, concurrentLists: 0).Emit();
        Assert.Equal(oneThread.Keys, twoThreads.Keys);
        foreach (string name in oneThread.Keys)
            Assert.True(oneThread[name].Span.SequenceEqual(twoThreads[name].Span), $"{name} differs");
    }

    [Fact]
    public void A_list_error_is_reported_before_an_entry_error_on_either_thread()
    {
        var output = Model("loops", Producer.Wasm, OptLevel.O2);
        var unit = output.Units.First(u => u.LocationLists.Count > 0);
        unit.LocationLists[0].Entries.Add(new Writing.LocationListEntry(0, 0, new byte[] { 0x30 }, IsDefault: true)); // DWARF 5 only
        unit.Root.Add(DwAt.DW_AT_name, Writing.AttributeValue.Unsigned(1, DwForm.DW_FORM_string)); // no such encoding

        var oneThread = Assert.Throws<InvalidOperationException>(() => new DwarfEmitter(output, concurrentLists: int.MaxValue).Emit());
        var twoThreads = Assert.Throws<InvalidOperationException>(() => new DwarfEmitter(output, concurrentLists: 0).Emit());
        Assert.Contains("default location entries need DWARF 5", oneThread.Message, StringComparison.Ordinal);
        Assert.Equal(oneThread.Message, twoThreads.Message);
    }

    /// <summary>The write model of a corpus program's DWARF 4, as the identity pass builds it.</summary>
    private static DwarfOutput Model(string program, Producer producer, OptLevel opt) =>
        DwarfTransform.Run(new DwarfContext(DwarfInputs.Load(DwarfInputs.Build(program, producer, opt, 4))), DwarfVisitor.Identity).Output;
}
