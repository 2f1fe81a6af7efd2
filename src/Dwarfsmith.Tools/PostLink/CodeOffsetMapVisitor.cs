using Dwarfsmith.Dwarf.Transform;
using Dwarfsmith.Wasm.Compaction;

namespace Dwarfsmith.Tools.PostLink;

/// <summary>
/// Moves DWARF's code addresses through a <see cref="CodeOffsetMap"/>: instruction addresses to
/// their new starts, exclusive ends to the new end of the instruction before them, ranges by both.
/// Data addresses stay (compaction moves no data), and so does a unit base of 0, which is the
/// start of the code section in both layouts. The pass leaves tombstones alone.
/// </summary>
public sealed class CodeOffsetMapVisitor(CodeOffsetMap map) : DwarfVisitor
{
    private readonly CodeOffsetMap _map = map ?? throw new ArgumentNullException(nameof(map));

    /// <summary>The worker maps through the same boundaries with a lookup hint of its own: the walk's addresses and the worker's each ascend.</summary>
    public override DwarfVisitor WorkerVisitor() => new CodeOffsetMapVisitor(_map.WithOwnHint());

    public override void MapAddress(ulong address, AddressUse use, AddressSink output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Add(use switch
        {
            AddressUse.Data => address,
            AddressUse.CodeEnd => _map.MapEnd(address),
            AddressUse.UnitBase when address == 0 => 0,
            _ => _map.MapStart(address),
        });
    }

    public override void MapRange(ulong begin, ulong end, RangeSink output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ulong newBegin = _map.MapStart(begin);
        output.Add(newBegin, Math.Max(newBegin, _map.MapEnd(end)));
    }
}
