using System.Text.Json;
using Berth.Interop.Tests.Support;

namespace Berth.Interop.Tests;

/// <summary>
/// The .NET SDK's own container tooling (`dotnet publish -t:PublishContainer`) publishes an app onto a tiny base
/// image in berth: the client a .NET shop reaches for first.
/// </summary>
public sealed class DotnetPublishContainerTests : BerthOnDiskTest
{
    [Fact]
    public async Task Dotnet_publish_container_pushes_an_app_image_on_a_base_image_from_berth()
    {
        var baseLayout = new OciLayout(Temp.Combine("base"));
        baseLayout.AddImage("1", layerCount: 1, layerBytes: 10_000, seed: 51);
        await Skopeo.CopyAsync(baseLayout.Reference("1"), $"docker://{Registry.Host}/base/tiny:1");
        var baseManifest = JsonDocument.Parse(await Skopeo.InspectRawAsync($"docker://{Registry.Host}/base/tiny:1"));
        var baseLayer = baseManifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString();

        var project = Temp.Combine("hello");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "Program.cs"), "System.Console.WriteLine(\"hello from berth\");\n");
        File.WriteAllText(Path.Combine(project, "hello.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <EnableSdkContainerSupport>true</EnableSdkContainerSupport>
                <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
                <SelfContained>false</SelfContained>
                <ContainerBaseImage>{Registry.Host}/base/tiny:1</ContainerBaseImage>
                <ContainerRegistry>{Registry.Host}</ContainerRegistry>
                <ContainerRepository>dotnet/hello</ContainerRepository>
                <ContainerImageTag>1.0</ContainerImageTag>
              </PropertyGroup>
            </Project>
            """);
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = Registry.Host,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };

        var publish = await ExternalProcess.RunAsync("dotnet", ["publish", "-t:PublishContainer", "-c", "Release", "-nodeReuse:false"], TimeSpan.FromMinutes(5), environment, project);
        publish.EnsureSuccess("dotnet publish -t:PublishContainer");

        var manifest = JsonDocument.Parse(await Skopeo.InspectRawAsync($"docker://{Registry.Host}/dotnet/hello:1.0"));
        var layers = manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()).ToList();
        Assert.Equal(baseLayer, layers[0]);
        Assert.True(layers.Count >= 2, "the app layer is on top of the base layer");

        var config = await ExternalProcess.RunAsync("skopeo", ["inspect", "--config", "--tls-verify=false", $"docker://{Registry.Host}/dotnet/hello:1.0"], TimeSpan.FromMinutes(1));
        Assert.Contains("hello", config.EnsureSuccess("skopeo inspect --config").Output, StringComparison.Ordinal);
    }
}
