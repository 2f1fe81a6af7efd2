namespace Dwarfsmith.TestSupport;

/// <summary>
/// The test machine lacks something the test needs (a tool, ../shared, a corpus file).
/// The message says what and how to fix it.
/// </summary>
public sealed class TestEnvironmentException : Exception
{
    public TestEnvironmentException()
    {
    }

    public TestEnvironmentException(string message)
        : base(message)
    {
    }

    public TestEnvironmentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An external tool (compiler, node, a dumper) failed; carries its <see cref="ProcessResult"/>.</summary>
public sealed class ToolFailedException : Exception
{
    public ToolFailedException()
    {
    }

    public ToolFailedException(string message)
        : base(message)
    {
    }

    public ToolFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ToolFailedException(ProcessResult result)
        : base((result ?? throw new ArgumentNullException(nameof(result))).Describe())
    {
        Result = result;
    }

    public ProcessResult? Result { get; }
}
