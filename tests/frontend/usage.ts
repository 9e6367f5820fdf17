// A frontend's use of the API through a client generated from /openapi.json: if a name or a type
// in the schema changes, this stops compiling. Type-checked by tests/browser/test_frontend.py.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema";

type SearchHit = components["schemas"]["SearchHit"];
type Profile = components["schemas"]["OrganizationRead"];
type Citation = components["schemas"]["CitationRead"];
type Problem = components["schemas"]["Problem"];

const client = createClient<paths>({ baseUrl: "http://127.0.0.1:8000" });

export async function firstMatch(query: string): Promise<SearchHit | undefined> {
  const { data, error } = await client.GET("/search", { params: { query: { q: query, limit: 5 } } });
  if (error) throw new Error((error as Problem).title);
  return data.items[0];
}

export function footnote(citation: Citation): string {
  const number: number | null | undefined = citation.reference_number;
  const source = citation.source;
  const when: string | null | undefined = source.published ?? source.archived_date;
  return `[${number ?? "article"}] ${source.title}${source.publisher ? `, ${source.publisher}` : ""}${when ? ` (${when})` : ""}`;
}

export async function allies(slug: string, asOf?: string): Promise<string[]> {
  const { data } = await client.GET("/organizations/{ref}", {
    params: { path: { ref: slug }, query: asOf ? { as_of: asOf } : {} },
  });
  const profile: Profile | undefined = data;
  return (profile?.relationships ?? [])
    .filter((link) => link.type === "ally")
    .map((link) => `${link.other.name} ${link.period?.text ?? ""}`);
}

export async function rename(slug: string, etag: string, name: string): Promise<number> {
  const { response } = await client.PATCH("/organizations/{ref}", {
    params: { path: { ref: slug }, header: { "if-match": etag } },
    body: { name },
  });
  return response.status;
}
