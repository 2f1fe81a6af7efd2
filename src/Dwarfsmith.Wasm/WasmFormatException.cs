namespace Dwarfsmith.Wasm;

/// <summary>
/// Malformed WebAssembly input. The only exception the reader and validator throw on bad bytes;
/// it names the section and the absolute file offset where decoding stopped.
/// </summary>
public sealed class WasmFormatException : Exception
{
    public WasmFormatException(string reason, string section, long offset)
        : base($"at 0x{offset:X} in {section}: {reason}")
    {
        Reason = reason;
        Section = section;
        Offset = offset;
    }

    public WasmFormatException()
        : this("malformed module", "module", 0)
    {
    }

    public WasmFormatException(string message)
        : this(message, "module", 0)
    {
    }

    public WasmFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
        Section = "module";
    }

    /// <summary>What is wrong, without the location prefix.</summary>
    public string Reason { get; }

    /// <summary>The section being decoded, e.g. "code section" or "custom section 'name'".</summary>
    public string Section { get; }

    /// <summary>Absolute byte offset in the file.</summary>
    public long Offset { get; }
}
