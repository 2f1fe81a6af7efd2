using Dwarfsmith.Wasm.Instructions;
using Xunit;
using Xunit.Abstractions;

namespace Dwarfsmith.Wasm.Tests.Instructions;

/// <summary>Every function body of every well-formed spec-suite module decodes.</summary>
public class SpecSuiteDecodeTests(ITestOutputHelper output)
{
    [Fact]
    public void All_well_formed_modules_decode()
    {
        var modules = SpecSuite.Modules.Where(m => m.Kind is "module" or "assert_invalid" or "assert_unlinkable" or "assert_uninstantiable" or "assert_trap" or "assert_exhaustion").ToList();
        Assert.True(modules.Count > 3000, $"only {modules.Count} modules");
        var failures = new List<string>();
        long functions = 0, instructions = 0;
        foreach (var module in modules)
        {
            var bytes = File.ReadAllBytes(module.Path);
            try
            {
                foreach (var body in TestModuleWalker.FunctionBodies(bytes, out _))
                {
                    var reader = new InstructionReader(bytes.AsSpan(body.CodeStart, body.CodeLength), body.CodeOffset);
                    instructions += reader.CountRemaining();
                    functions++;
                }
            }
            catch (WasmFormatException e)
            {
                failures.Add($"{module.Script}.wast:{module.Line} {module.Kind}: {e.Message}");
            }
        }
        output.WriteLine($"{modules.Count} modules, {functions} functions, {instructions} instructions; unconvertible scripts: {string.Join(", ", SpecSuite.Unconvertible)}");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(50)));
    }
}
