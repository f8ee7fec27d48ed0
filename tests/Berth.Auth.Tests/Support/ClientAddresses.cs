using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Auth.Tests.Support;

/// <summary>
/// Lets a test speak from any client address (IPv6 ones included) over loopback: the address in the
/// <see cref="Header"/> request header becomes the connection's remote address before the registry sees it.
/// </summary>
internal sealed class ClientAddresses : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public static void Install(WebApplicationBuilder builder) => builder.Services.AddSingleton<IStartupFilter, ClientAddresses>();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((HttpContext context, RequestDelegate following) =>
        {
            if (IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }

            return following(context);
        });
        next(app);
    };
}
