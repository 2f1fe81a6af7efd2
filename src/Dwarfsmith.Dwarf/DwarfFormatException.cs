namespace Dwarfsmith.Dwarf;

/// <summary>
/// Malformed DWARF. The only exception the DWARF readers throw on bad bytes; it names the section
/// and the offset within it (plus the section's file offset when the container gave one).
/// </summary>
public sealed class DwarfFormatException : Exception
{
    public DwarfFormatException(string reason, string section, long offset)
        : base($"at 0x{offset:X} in {section}: {reason}")
    {
        Reason = reason;
        Section = section;
        Offset = offset;
    }

    public DwarfFormatException()
        : this("malformed DWARF", "DWARF", 0)
    {
    }

    public DwarfFormatException(string message)
        : this(message, "DWARF", 0)
    {
    }

    public DwarfFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
        Section = "DWARF";
    }

    public string Reason { get; }

    /// <summary>The section name, e.g. ".debug_info".</summary>
    public string Section { get; }

    /// <summary>Offset within the section.</summary>
    public long Offset { get; }
}
