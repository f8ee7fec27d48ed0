using Berth.Cli;

return await BerthCommandLine.RunAsync(args, Console.Out, Console.Error);
