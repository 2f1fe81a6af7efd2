namespace Dwarfsmith.Aot;

/// <summary>
/// The module cannot be compiled ahead of time: an import the runtime does not provide, a feature the
/// translator does not support yet, or a C compiler failure. The message says which.
/// </summary>
public sealed class AotException : Exception
{
    public AotException(string message)
        : base(message)
    {
    }

    public AotException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>True when the C compiler failed (an internal error), false when the module is the problem.</summary>
    public bool IsCompilerFailure { get; init; }
}
