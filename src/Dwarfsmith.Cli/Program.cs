namespace Dwarfsmith.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        GcHeapHugePages.Advise();
        return CommandLine.Run(args, Console.Out, Console.Error);
    }
}
