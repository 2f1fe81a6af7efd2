using Dwarfsmith.Debugging.CoreDumps;
using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm;
using Xunit;

namespace Dwarfsmith.Debugging.Tests;

/// <summary>
/// wasi-libc's <c>errno</c> is thread-local (<c>DW_OP_GNU_push_tls_address</c>); in a
/// single-threaded module wasm-ld lowers it to ordinary data. The program itself, run under node,
/// says where it is and what it holds; the reader must find the same address and value in a dump.
/// </summary>
public class ThreadLocalTests
{
    private const string Source = """
        /* prints where errno is, after making it non-zero */
        #include <errno.h>
        #include <stdint.h>
        #include <stdio.h>
        int main(void)
        {
            errno = 0;
            fopen("/no/such/file", "r");
            printf("%u %d\n", (unsigned)(uintptr_t)&errno, errno);
            return 0;
        }
        """;

    [Fact]
    public void Errno_is_found_where_the_program_has_it()
    {
        var folder = Directory.CreateDirectory(Path.Combine(RepoPaths.Cache, "tmp", "coredump-tls")).FullName;
        var source = Path.Combine(folder, "errno.c");
        File.WriteAllText(source, Source);
        var wasm = CCompiler.Compile(source, CompileOptions.Wasm(OptLevel.O0)).Path;
        var output = NodeWasi.Run(wasm).EnsureSuccess().StandardOutput.Trim().Split(' ');
        var (address, value) = (uint.Parse(output[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(output[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEqual(0, value);

        var module = WasmModule.ReadFile(wasm);
        var dump = new SyntheticDump(module);
        dump.WriteInt32(address, value);
        var session = new CoreDumpSession(dump.Build(), module);
        Assert.Equal($"(int *) 0x{address:x}", session.Print("&errno"));
        Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), session.Print("errno"));
    }
}
