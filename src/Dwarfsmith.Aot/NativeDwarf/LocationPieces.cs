namespace Dwarfsmith.Aot.NativeDwarf;

/// <summary>
/// Native code [<see cref="Begin"/>, <see cref="End"/>) over which each C variable a translated
/// expression reads has one place (<see cref="Locals"/>, by wasm local index).
/// </summary>
internal readonly record struct LocationPiece(ulong Begin, ulong End, IReadOnlyDictionary<uint, BoundLocal> Locals);

/// <summary>A wasm local's C variable where it is over a <see cref="LocationPiece"/>, and its size.</summary>
internal readonly record struct BoundLocal(NativePlace Place, int ByteSize);

/// <summary>
/// Cuts native code into <see cref="LocationPiece"/>s: where a wasm expression reads the locals
/// whose C variables <c>l&lt;i&gt;</c> have location lists (-O2), one wasm expression becomes one
/// native expression per stretch of code over which none of them moves, and none where one of them
/// is nowhere (the variable is then optimized out there, never wrong).
/// </summary>
internal static class LocationPieces
{
    /// <summary>
    /// The pieces of [<paramref name="begin"/>, <paramref name="end"/>), ascending, into
    /// <paramref name="output"/>; code where a local has no place is in no piece.
    /// </summary>
    /// <param name="locals">Each local the expression reads, with where its C variable lives (null: nowhere).</param>
    public static void Split(ulong begin, ulong end, IReadOnlyDictionary<uint, NativeLocation?> locals, List<LocationPiece> output)
    {
        ArgumentNullException.ThrowIfNull(locals);
        ArgumentNullException.ThrowIfNull(output);
        if (end <= begin)
            return;
        var cuts = new SortedSet<ulong> { begin, end };
        foreach (var location in locals.Values)
        {
            if (location is null)
                return;
            if (location.Whole is not null)
                continue;
            foreach (var entry in location.Entries)
            {
                if (entry.Begin > begin && entry.Begin < end)
                    cuts.Add(entry.Begin);
                if (entry.End > begin && entry.End < end)
                    cuts.Add(entry.End);
            }
        }

        ulong? previous = null;
        foreach (var cut in cuts)
        {
            if (previous is { } start && Bind(start, locals) is { } bound)
                output.Add(new LocationPiece(start, cut, bound));
            previous = cut;
        }
    }

    /// <summary>Each local's place at <paramref name="pc"/> (valid to the next cut), or null when one is nowhere there.</summary>
    private static Dictionary<uint, BoundLocal>? Bind(ulong pc, IReadOnlyDictionary<uint, NativeLocation?> locals)
    {
        var bound = new Dictionary<uint, BoundLocal>(locals.Count);
        foreach (var (local, location) in locals)
        {
            var place = location!.Whole;
            if (place is null)
            {
                foreach (var entry in location.Entries)
                {
                    if (entry.Begin <= pc && pc < entry.End)
                    {
                        place = entry.Place;
                        break;
                    }
                }
            }

            if (place is null)
                return null;
            bound[local] = new BoundLocal(place, location.ByteSize);
        }

        return bound;
    }
}
