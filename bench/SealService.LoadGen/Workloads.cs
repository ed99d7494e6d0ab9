using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SealService.LoadGen;

/// <summary>
/// The two stamping requests the generator sends, as an approval system would: 沙土镇's clerk decides a licence with
/// the No. 2 seal (demo registry), either from the licence-decision template or by signing an uploaded 20 KB PDF.
/// Every request carries its own Idempotency-Key, so each one is a new document.
/// </summary>
internal sealed class Workloads(string token, string runId)
{
    private static readonly byte[] Pdf = SamplePdf.Create();

    public static int PdfBytes => Pdf.Length;

    public HttpRequestMessage Create(string workload, int level, int index)
    {
        var caseNumber = $"LG-{runId}-{level}-{index:00000}";
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/stampings");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", $"loadgen-{runId}-{workload}-{level}-{index}");
        if (workload == "template")
        {
            request.Content = new StringContent(JsonSerializer.Serialize(Body(caseNumber, template: true)), Encoding.UTF8, "application/json");
        }
        else
        {
            var file = new ByteArrayContent(Pdf);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            request.Content = new MultipartFormDataContent
            {
                { new StringContent(JsonSerializer.Serialize(Body(caseNumber, template: false)), Encoding.UTF8, "application/json"), "request" },
                { file, "file", "sample.pdf" },
            };
        }

        return request;
    }

    private static Dictionary<string, object> Body(string caseNumber, bool template)
    {
        var body = new Dictionary<string, object>
        {
            ["sealId"] = "seal-mudan-spj-shatu",
            ["matterId"] = "mat-heze-mudan-001",
            ["step"] = "decide",
            ["caseNumber"] = caseNumber,
            ["subjectTownshipId"] = "twp-mudan-shatu",
        };
        if (template)
        {
            body["templateId"] = "licence-decision";
            body["fields"] = new Dictionary<string, string>
            {
                ["applicantName"] = "菏泽市牡丹区沙土镇鑫源农资经营部",
                ["applicantId"] = "92371702MA3XXXXX0K",
                ["address"] = "菏泽市牡丹区沙土镇驻地中心街18号",
                ["submittedOn"] = "2026-11-20",
                ["licenceContent"] = "准予登记，经营范围：农资零售。",
            };
        }
        else
        {
            body["documentKind"] = "decision";
            body["placement"] = new Dictionary<string, int> { ["page"] = 1, ["x"] = 400, ["y"] = 60, ["width"] = 120, ["height"] = 120 };
        }

        return body;
    }
}
