namespace Dwarfsmith.Cli;

/// <summary>Process exit codes (sysexits.h values where one fits).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command ran and found a problem (validation failed, a diff is non-empty).</summary>
    public const int FailureFound = 1;
    public const int Usage = 64;
    public const int MalformedInput = 65;
    public const int MissingInput = 66;
    /// <summary>The input uses a feature this version does not support (EX_UNAVAILABLE).</summary>
    public const int Unsupported = 69;
    public const int InternalError = 70;
}
