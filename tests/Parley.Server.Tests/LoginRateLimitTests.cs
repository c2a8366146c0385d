using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Support;

namespace Parley.Server.Tests;

/// <summary>Password guessing is throttled (10 failures per username and per address in 5 minutes). Its own app: the address limit would hit other tests.</summary>
public sealed class LoginRateLimitTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task RepeatedFailedLoginsAreAnsweredWith429EvenForTheRightPassword()
    {
        await using var victim = await fixture.App.RegisterAsync("victim");
        await using var guesser = await fixture.App.RegisterAsync("guesser");

        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var wrong = await guesser.PostAsync("/api/auth/login", new JsonObject { ["username"] = victim.Username, ["password"] = $"guess number {attempt}" });
            wrong.ExpectProblem(HttpStatusCode.Unauthorized, "invalid_credentials");
        }

        var limited = await guesser.PostAsync("/api/auth/login", new JsonObject { ["username"] = victim.Username, ["password"] = ImClient.DefaultPassword });
        limited.ExpectProblem(HttpStatusCode.TooManyRequests, "too_many_attempts");

        // Tokens already issued keep working.
        (await victim.GetAsync("/api/me")).Expect(HttpStatusCode.OK);
    }
}
