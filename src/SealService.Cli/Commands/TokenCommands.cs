using System.CommandLine;
using SealService.Api.Auth;

namespace SealService.Cli.Commands;

/// <summary><c>sealctl token</c>: mints a development JWT signed with certs-dev/jwt-dev.key.pem.</summary>
public static class TokenCommands
{
    public static Command Create()
    {
        var role = new Option<string>("--role")
        {
            Description = "registry-admin | department-officer | township-clerk | auditor",
            Required = true,
        };
        role.AcceptOnlyFromAmong([.. SealClaims.AllRoles]);
        var name = new Option<string>("--name") { Description = "The person's name (claim 'name')", Required = true };
        var township = new Option<string?>("--township") { Description = "Township id (claim 'township'; required for township-clerk)" };
        var department = new Option<string?>("--department") { Description = "Department id (claim 'dept'; required for department-officer)" };
        var minutes = new Option<int>("--minutes") { Description = "Lifetime in minutes", DefaultValueFactory = _ => 60 };

        var command = new Command("token", "Print a DEVELOPMENT bearer token (issuer sealservice-dev, audience sealservice)");
        command.Options.Add(role);
        command.Options.Add(name);
        command.Options.Add(township);
        command.Options.Add(department);
        command.Options.Add(minutes);
        command.SetAction(parse =>
        {
            var request = new DevTokenRequest(parse.GetValue(role)!, parse.GetValue(name)!,
                parse.GetValue(department), parse.GetValue(township), parse.GetValue(minutes));
            try
            {
                parse.InvocationConfiguration.Output.WriteLine(DevTokens.Create(request, DateTimeOffset.UtcNow));
                return 0;
            }
            catch (ArgumentException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"sealctl token: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
