using Xunit.Abstractions;
using Xunit.Sdk;

namespace AgentHost.Storage.Contracts;

/// <summary>Finds the store factory of the class a <see cref="StoreFactAttribute"/> test runs in, and skips the test when that store is unavailable.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var reason = UnavailableReason(testMethod.TestClass.Class.ToRuntimeType());
        yield return reason is null
            ? new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod)
            : new SkippedStoreTestCase(diagnosticMessageSink, display, displayOptions, testMethod, reason);
    }

    private static string? UnavailableReason(Type? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(StoreContract<>))
            {
                return ((IStoreFactory)Activator.CreateInstance(type.GetGenericArguments()[0])!).Unavailable;
            }
        }

        return null;
    }
}
