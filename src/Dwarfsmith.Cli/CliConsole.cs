using System.Text.Json;
using Dwarfsmith.Wasm;

namespace Dwarfsmith.Cli;

/// <summary>
/// Where commands write: data to stdout, diagnostics to stderr. <see cref="Guard"/> turns the
/// failures a command can meet into a message and the documented exit code.
/// </summary>
public sealed class CliConsole(TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public int Guard(Func<int> command)
    {
        try
        {
            return command();
        }
        catch (MissingInputException ex)
        {
            Error.WriteLine($"dwarfsmith: {ex.Message}");
            return ExitCodes.MissingInput;
        }
        catch (InputFileException ex)
        {
            Error.WriteLine($"dwarfsmith: {ex.Path}: {ex.InnerException!.Message}");
            return ex.InnerException is WasmFormatException ? ExitCodes.MalformedInput : ExitCodes.InternalError;
        }
        catch (UsageException ex)
        {
            Error.WriteLine($"dwarfsmith: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Error.WriteLine($"dwarfsmith: {ex.Message}");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>Reads a wasm module; a missing file or malformed bytes become exceptions that <see cref="Guard"/> reports.</summary>
    public static WasmModule ReadModule(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MissingInputException($"{path}: no such file");
        }
        return WithPath(path, () => WasmModule.Read(bytes));
    }

    /// <summary>Runs work on an input, attributing any format error to the file.</summary>
    public static T WithPath<T>(string path, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (WasmFormatException ex)
        {
            throw new InputFileException(path, ex);
        }
    }

    public static Utf8JsonWriter JsonWriter(Stream stream) => new(stream, new JsonWriterOptions { Indented = true });
}

public sealed class MissingInputException(string message) : Exception(message);

public sealed class UsageException(string message) : Exception(message);

/// <summary>A failure while decoding an input file, carrying the file's path.</summary>
public sealed class InputFileException(string path, Exception inner) : Exception(inner.Message, inner)
{
    public string Path { get; } = path;
}
