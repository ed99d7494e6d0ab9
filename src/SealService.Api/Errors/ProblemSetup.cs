namespace SealService.Api.Errors;

public static class ProblemSetup
{
    /// <summary>ProblemDetails for every error, each with a <c>code</c>: explicit, recorded, or derived from the status.</summary>
    public static IServiceCollection AddSealProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (!problem.Extensions.ContainsKey("code"))
            {
                var status = problem.Status ?? context.HttpContext.Response.StatusCode;
                var code = ApiProblems.GetCode(context.HttpContext) ?? ErrorCatalog.ForStatus(status);
                problem.Extensions["code"] = code;
                problem.Detail ??= ErrorCodes.Describe(code);
            }
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }
}
