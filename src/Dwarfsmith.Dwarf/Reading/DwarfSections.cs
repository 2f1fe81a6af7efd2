using Dwarfsmith.Dwarf.Collections;

namespace Dwarfsmith.Dwarf.Reading;

/// <summary>One DWARF section as a container hands it over: its name, its bytes and where they sit in the file.</summary>
public readonly record struct DwarfSection(string Name, ReadOnlyMemory<byte> Data, long FileOffset)
{
    public bool IsEmpty => Data.IsEmpty;

    public int Length => Data.Length;

    /// <summary>A cursor over the whole section.</summary>
    public DwarfReader Reader() => new(Data.Span, Name);

    /// <summary>A cursor positioned at <paramref name="offset"/>; throws <see cref="DwarfFormatException"/> when it is outside.</summary>
    public DwarfReader ReaderAt(long offset)
    {
        var reader = new DwarfReader(Data.Span, Name);
        reader.Seek(offset);
        return reader;
    }
}

/// <summary>
/// Container-neutral input of the DWARF library: the <c>.debug_*</c> sections by name, the target's
/// address size (4 for wasm32, 8 for x86-64), little-endian. Missing sections read as empty.
/// </summary>
public sealed class DwarfSections
{
    public const string Info = ".debug_info";
    public const string Types = ".debug_types";
    public const string Abbrev = ".debug_abbrev";
    public const string Str = ".debug_str";
    public const string LineStr = ".debug_line_str";
    public const string StrOffsets = ".debug_str_offsets";
    public const string Addr = ".debug_addr";
    public const string Line = ".debug_line";
    public const string Ranges = ".debug_ranges";
    public const string Rnglists = ".debug_rnglists";
    public const string Loc = ".debug_loc";
    public const string Loclists = ".debug_loclists";
    public const string Aranges = ".debug_aranges";
    public const string Frame = ".debug_frame";
    public const string Names = ".debug_names";
    public const string Pubnames = ".debug_pubnames";
    public const string Pubtypes = ".debug_pubtypes";
    public const string Macro = ".debug_macro";
    public const string Macinfo = ".debug_macinfo";

    /// <summary>A handful of sections: searched in order (a dictionary's generic code would be JIT-compiled at every start).</summary>
    private readonly ValueList<DwarfSection> _sections = new(16);

    public DwarfSections(int addressSize, IEnumerable<DwarfSection> sections, bool zeroIsTombstone = false)
        : this(addressSize, sections?.ToArray()!, zeroIsTombstone)
    {
    }

    /// <summary>
    /// As the constructor over any sequence. An array is read by index: enumerating a sequence of a
    /// struct of ours runs framework generic code that ReadyToRun leaves to the JIT, on every run.
    /// </summary>
    public DwarfSections(int addressSize, DwarfSection[] sections, bool zeroIsTombstone = false)
    {
        ZeroIsTombstone = zeroIsTombstone;
        ArgumentNullException.ThrowIfNull(sections);
        if (addressSize is not (1 or 2 or 4 or 8))
            throw new ArgumentOutOfRangeException(nameof(addressSize), addressSize, "address size must be 1, 2, 4 or 8");
        AddressSize = addressSize;
        for (int i = 0; i < sections.Length; i++)
        {
            if (IndexOf(sections[i].Name) < 0)
                _sections.Add(sections[i]);
        }
    }

    /// <summary>Size of a target address in bytes (4 for wasm32, 8 for x86-64).</summary>
    public int AddressSize { get; }

    /// <summary>
    /// True when address 0 cannot be code and so marks dead code (linked wasm modules, where address 0
    /// is the function-count LEB; linked ELF executables). False for object files.
    /// </summary>
    public bool ZeroIsTombstone { get; }

    /// <summary>All sections handed over, in no particular order.</summary>
    public IEnumerable<DwarfSection> All => _sections;

    /// <summary>The section by name, or an empty one when the container has none.</summary>
    public DwarfSection this[string name] => TryGet(name, out var s) ? s : new DwarfSection(name, ReadOnlyMemory<byte>.Empty, 0);

    public bool Contains(string name) => IndexOf(name) >= 0;

    public bool TryGet(string name, out DwarfSection section)
    {
        int index = IndexOf(name);
        section = index >= 0 ? _sections[index] : default;
        return index >= 0;
    }

    private int IndexOf(string name)
    {
        for (int i = 0; i < _sections.Count; i++)
        {
            if (string.Equals(_sections[i].Name, name, StringComparison.Ordinal))
                return i;
        }

        return -1;
    }
}
