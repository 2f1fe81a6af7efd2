using Dwarfsmith.Wasm.Instructions;
using Dwarfsmith.Wasm.Tests.Spec;
using Xunit;
using Xunit.Abstractions;

namespace Dwarfsmith.Wasm.Tests.Instructions;

/// <summary>Every function body of every well-formed spec-suite module decodes.</summary>
public class SpecSuiteDecodeTests(ITestOutputHelper output)
{
    [Fact]
    public void All_well_formed_modules_decode()
    {
        var modules = SpecScript.AllModules.Where(m => m.Expectation != SpecExpectation.Malformed).ToList();
        Assert.True(modules.Count > 3000, $"only {modules.Count} modules");
        var failures = new List<string>();
        long functions = 0, instructions = 0;
        foreach (var module in modules)
        {
            try
            {
                foreach (var body in WasmModule.ReadFile(module.File, WasmFeatures.Wasm2).Bodies)
                {
                    var reader = new InstructionReader(body.Instructions.Span, body.InstructionsOffset);
                    instructions += reader.CountRemaining();
                    functions++;
                }
            }
            catch (WasmFormatException e)
            {
                failures.Add($"{module.Where} {module.Expectation}: {e.Message}");
            }
        }
        output.WriteLine($"{modules.Count} modules, {functions} functions, {instructions} instructions");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(50)));
    }
}
