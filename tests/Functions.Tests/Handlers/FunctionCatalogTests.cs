using System.Reflection;
using BlueGreen.Functions.Handlers;
using BlueGreen.Functions.Tests.Support;

namespace BlueGreen.Functions.Tests.Handlers;

public class FunctionCatalogTests
{
    [Fact]
    public void All_ListsEveryHandlerClassOfTheAssembly()
    {
        var handlers = typeof(FunctionCatalog).Assembly.GetTypes()
            .Where(t => t.Namespace == "BlueGreen.Functions.Handlers" && t.IsPublic && t.Name.EndsWith("Handler", StringComparison.Ordinal))
            .ToHashSet();

        Assert.Equal(handlers, FunctionCatalog.All.Select(f => f.HandlerType).ToHashSet());
        Assert.Equal(FunctionCatalog.All.Count, FunctionCatalog.All.Select(f => f.Name).Distinct().Count());
    }

    [Fact]
    public void HandlerStrings_PointAtAPublicStreamToStreamMethodOnAConstructibleClass()
    {
        foreach (var function in FunctionCatalog.All)
        {
            var parts = function.Handler.Split("::");
            Assert.Equal("BlueGreen.Functions", parts[0]);
            Assert.Equal(function.HandlerType.FullName, parts[1]);
            var method = function.HandlerType.GetMethod(parts[2], BindingFlags.Public | BindingFlags.Instance, [typeof(Stream)]);
            Assert.NotNull(method);
            Assert.Equal(typeof(Stream), method.ReturnType);
            Assert.NotNull(function.HandlerType.GetConstructor(Type.EmptyTypes));
            Assert.Equal(function.Name + "Handler", function.HandlerType.Name);
            Assert.Equal(function.Name + "FunctionArn", function.DefinitionSubstitution);
        }
    }

    [Fact]
    public void Errors_AreExceptionClassesOfTheAssembly()
    {
        var errorTypes = typeof(FunctionCatalog).Assembly.GetTypes().Where(t => typeof(WorkflowError).IsAssignableFrom(t) && !t.IsAbstract).Select(t => t.Name).ToHashSet();

        Assert.All(FunctionCatalog.All.SelectMany(f => f.Errors), e => Assert.Contains(e, errorTypes));
        Assert.Equal(errorTypes, FunctionCatalog.All.SelectMany(f => f.Errors).ToHashSet());
    }

    [Fact]
    public void Invoke_RunsTheHandlerInProcess()
    {
        var input = $"{{\"input\":{Inputs.Alb().ToJson()},\"execution\":{{\"id\":\"{Inputs.ExecutionId}\",\"name\":\"n\",\"startTime\":\"{Inputs.StartTime}\"}}}}";

        using var output = FunctionCatalog.Get("PlanUpgrade").Invoke(Inputs.ToStream(input));

        Assert.True(output.Length > 0);
        Assert.Throws<KeyNotFoundException>(() => FunctionCatalog.Get("Nope"));
    }
}
