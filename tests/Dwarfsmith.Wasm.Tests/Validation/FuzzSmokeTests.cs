using Dwarfsmith.TestSupport;
using Dwarfsmith.Wasm.Instructions;
using Dwarfsmith.Wasm.Tests.Spec;
using Dwarfsmith.Wasm.Validation;
using Xunit;

namespace Dwarfsmith.Wasm.Tests.Validation;

/// <summary>
/// Damaged function bodies reach the decoder and validator (with the undamaged module's context):
/// nothing but <see cref="WasmFormatException"/> may escape.
/// </summary>
public class FuzzSmokeTests
{
    [Fact]
    public void Damaged_bodies_only_throw_WasmFormatException()
    {
        var modules = SpecScript.AllModules.Where(m => m.Expectation == SpecExpectation.Valid).Select(m => m.File).Where((_, i) => i % 3 == 0).ToList();
        var failures = new List<string>();
        var cases = 0;
        var seed = 0;
        foreach (var path in modules)
        {
            WasmModule module;
            ValidationContext context;
            try
            {
                module = WasmModule.Read(File.ReadAllBytes(path), WasmFeatures.All);
                context = ValidationContext.FromModule(module);
            }
            catch (WasmFormatException)
            {
                continue;
            }
            var validator = new FunctionValidator(context);
            foreach (var body in module.Bodies.Take(4))
            {
                LocalDeclaration[] locals = [.. body.Locals];
                for (var i = 0; i < 8; i++, seed++)
                {
                    var (bytes, _, description) = ByteMutator.Mutate(body.Instructions.Span, seed);
                    cases++;
                    try
                    {
                        var observer = default(NoObserver);
                        validator.Validate(body.FunctionIndex, locals, bytes, body.InstructionsOffset, ref observer);
                    }
                    catch (WasmFormatException)
                    {
                    }
#pragma warning disable CA1031 // the point is to catch everything else
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        failures.Add($"{Path.GetFileName(path)} function {body.FunctionIndex} seed {seed} ({description}): {e.GetType().Name}: {e.Message}");
                    }
                }
            }
        }
        Assert.True(cases > 1000, $"only {cases} cases");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
    }
}
