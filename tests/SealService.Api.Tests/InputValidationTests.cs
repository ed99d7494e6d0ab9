using System.Net;
using SealService.Api.Tests.Infrastructure;

namespace SealService.Api.Tests;

/// <summary>Malformed, oversized and unknown input gets a 4xx ProblemDetails with a code, never a 500.</summary>
public sealed class InputValidationTests(SealApiFactory factory) : IClassFixture<SealApiFactory>
{
    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("{\"name\": \"x\",}")]
    [InlineData("not json at all")]
    [InlineData("{\"name\": 42}")]
    public async Task Bad_json_is_400_invalid_json(string body)
    {
        var problem = await (await factory.Admin().PostRaw("/api/v1/regions", body))
            .AssertProblem(HttpStatusCode.BadRequest, "INVALID_JSON");
        Assert.DoesNotContain("not json", problem.Str("detail"));
    }

    [Fact]
    public async Task Missing_body_is_400_invalid_json()
    {
        var response = await factory.Admin().PostAsync("/api/v1/regions", new StringContent("", System.Text.Encoding.UTF8, "application/json"));
        await response.AssertProblem(HttpStatusCode.BadRequest, "INVALID_JSON");
    }

    [Fact]
    public async Task Wrong_date_format_is_400_invalid_json()
    {
        var sc = await Scenario.CreateAsync(factory);
        await (await factory.Admin().PostRaw($"/api/v1/agreements/{sc.Agreement}/file",
            """{"reason":"r","filingNumber":"n","filingDate":"1st of May"}"""))
            .AssertProblem(HttpStatusCode.BadRequest, "INVALID_JSON");
    }

    [Fact]
    public async Task Over_long_name_is_400_validation_failed_naming_the_field()
    {
        var problem = await (await factory.Admin().Post("/api/v1/regions", new { id = "reg-long", name = new string('县', 201) }))
            .AssertProblem(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task Over_long_reason_and_id_are_400_validation_failed()
    {
        var sc = await Scenario.CreateAsync(factory);
        var reason = await (await factory.Admin().Post($"/api/v1/seals/{sc.Seal}/suspend", new { reason = new string('因', 501) }))
            .AssertProblem(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.True(reason.GetProperty("errors").TryGetProperty("reason", out _));

        var id = await (await factory.Admin().Post("/api/v1/regions", new { id = new string('r', 65), name = "县" }))
            .AssertProblem(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.True(id.GetProperty("errors").TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Unknown_enum_value_is_400_validation_failed()
    {
        var sc = await Scenario.CreateAsync(factory);
        var problem = await (await factory.Admin().Post("/api/v1/townships", new { regionId = sc.Region, name = "丙镇", kind = "village" }))
            .AssertProblem(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.True(problem.GetProperty("errors").TryGetProperty("kind", out _));
    }

    [Fact]
    public async Task Reference_to_an_unknown_id_in_a_body_is_400_validation_failed()
    {
        var problem = await (await factory.Admin().Post("/api/v1/departments", new { regionId = "reg-nowhere", name = "某局" }))
            .AssertProblem(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.True(problem.GetProperty("errors").TryGetProperty("regionId", out _));
    }

    [Theory]
    [InlineData("/api/v1/regions/reg-nowhere")]
    [InlineData("/api/v1/departments/dept-nowhere")]
    [InlineData("/api/v1/townships/twp-nowhere")]
    [InlineData("/api/v1/townships/twp-nowhere/matters")]
    [InlineData("/api/v1/village-stations/vil-nowhere")]
    [InlineData("/api/v1/matters/mat-nowhere")]
    [InlineData("/api/v1/seals/seal-nowhere")]
    [InlineData("/api/v1/seals/seal-nowhere/history")]
    public async Task Unknown_id_is_404_not_found(string url) =>
        await (await factory.Auditor().GetAsync(url)).AssertProblem(HttpStatusCode.NotFound, "NOT_FOUND");

    [Fact]
    public async Task Body_over_the_size_limit_is_413_payload_too_large()
    {
        var big = new string('x', 300 * 1024); // the test host allows 256 KiB
        await (await factory.Admin().Post("/api/v1/regions", new { id = "reg-big", name = big }))
            .AssertProblem(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    [Fact]
    public async Task Query_value_of_the_wrong_type_is_400_bad_request()
    {
        await (await factory.Admin().GetAsync("/api/v1/matters?page=first")).AssertProblem(HttpStatusCode.BadRequest, "BAD_REQUEST");
        await (await factory.Admin().GetAsync("/api/v1/townships/twp-x/matters?at=yesterday")).AssertProblem(HttpStatusCode.BadRequest, "BAD_REQUEST");
    }

    [Fact]
    public async Task Json_endpoint_called_with_another_content_type_is_415()
    {
        await (await factory.Admin().PostRaw("/api/v1/regions", "name=x", "text/plain"))
            .AssertProblem(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
    }

    [Fact]
    public async Task Unsupported_method_is_405_with_a_code()
    {
        await (await factory.Admin().DeleteAsync("/api/v1/regions/reg-mudan"))
            .AssertProblem(HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED");
    }

    [Fact]
    public async Task Json_nested_deeper_than_the_limit_is_400_invalid_json()
    {
        var deep = new string('[', 40) + new string(']', 40);
        await (await factory.Admin().PostRaw("/api/v1/regions", $$"""{"name":"x","city":{{deep}}}"""))
            .AssertProblem(HttpStatusCode.BadRequest, "INVALID_JSON");
    }
}
