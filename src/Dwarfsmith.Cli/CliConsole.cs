using System.Text.Json;
using Dwarfsmith.Dwarf;
using Dwarfsmith.Elf;
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
            return ex.InnerException is WasmFormatException or DwarfFormatException or ElfFormatException
                ? ExitCodes.MalformedInput
                : ex.InnerException is NotSupportedException ? ExitCodes.Unsupported : ExitCodes.InternalError;
        }
        catch (MismatchedInputException ex)
        {
            Error.WriteLine($"dwarfsmith: {ex.Message}");
            return ExitCodes.MalformedInput;
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

    /// <summary>Reads a file's bytes; a missing file becomes a <see cref="MissingInputException"/>.</summary>
    public static byte[] ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MissingInputException($"{path}: no such file");
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
        catch (Exception ex) when (ex is WasmFormatException or DwarfFormatException or ElfFormatException or NotSupportedException)
        {
            throw new InputFileException(path, ex);
        }
    }

    /// <summary>
    /// Writes an output file all at once: to a temporary file beside it, renamed into place when
    /// complete, so that a failure leaves no half-written output (and never touches the input).
    /// </summary>
    public static void WriteOutput(string path, byte[] bytes) => WriteOutput(path, stream => stream.Write(bytes));

    /// <summary>As <see cref="WriteOutput(string, byte[])"/>, with the content written by <paramref name="write"/> (a module section by section).</summary>
    public static void WriteOutput(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                write(stream);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static Utf8JsonWriter JsonWriter(Stream stream) => new(stream, new JsonWriterOptions { Indented = true });
}

public sealed class MissingInputException(string message) : Exception(message);

public sealed class UsageException(string message) : Exception(message);

/// <summary>Inputs that are each well-formed but do not belong together (a debug file of another build): exit 65.</summary>
public sealed class MismatchedInputException(string message) : Exception(message);

/// <summary>A failure while decoding an input file, carrying the file's path.</summary>
public sealed class InputFileException(string path, Exception inner) : Exception(inner.Message, inner)
{
    public string Path { get; } = path;
}
