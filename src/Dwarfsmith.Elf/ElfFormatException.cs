namespace Dwarfsmith.Elf;

/// <summary>Malformed or unsupported ELF input: the only exception the ELF reader throws on bad bytes.</summary>
public sealed class ElfFormatException : Exception
{
    public ElfFormatException(string reason, string section, long offset)
        : base($"at 0x{offset:X} in {section}: {reason}")
    {
        Reason = reason;
        Section = section;
        Offset = offset;
    }

    public ElfFormatException()
        : this("malformed ELF file", "ELF header", 0)
    {
    }

    public ElfFormatException(string message)
        : this(message, "ELF header", 0)
    {
    }

    public ElfFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
        Section = "ELF header";
    }

    public string Reason { get; }

    /// <summary>The section (or header) where reading stopped.</summary>
    public string Section { get; }

    /// <summary>File offset.</summary>
    public long Offset { get; }
}
