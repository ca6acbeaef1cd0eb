import MicsVocabulary
import MicsAPI
import Foundation
import Hummingbird

/// The JSON endpoints of the Query Exports API (see the reference), served from `SandboxState`.
package enum SandboxRoutes {
    package static func add(to router: Router<BasicRequestContext>, state: SandboxState) {
        let pageSize = state.options.defaultPageSize

        router.get("/v1/exports") { request, _ -> Response in
            guard let org = request.stringParameter("organisation_id") else {
                return SandboxEnvelope.error(.badRequest, "organisation_id is required")
            }
            let items = await state.exports.filter { $0.export.organisationID == org }.map {
                SandboxState.json($0.export)
            }
            return sandboxPage(items, request: request, defaultSize: pageSize)
        }

        router.get("/v1/exports/:id") { request, context -> Response in
            guard let stored = await state.export(context.parameters.get("id") ?? ""),
                request.stringParameter("organisation_id").map({ $0 == stored.export.organisationID }) ?? true
            else { return notFound() }
            return SandboxEnvelope.ok(SandboxState.json(stored.export))
        }

        router.post("/v1/exports") { request, _ -> Response in
            var request = request
            guard let org = request.stringParameter("organisation_id") else {
                return SandboxEnvelope.error(.badRequest, "organisation_id is required")
            }
            guard let body = try await request.jsonObject(), let name = body["name"] as? String,
                let queryID = looseString(body["query_id"])
            else { return SandboxEnvelope.error(.badRequest, "expected {name, output_format, query_id, type}") }
            guard let export = await state.createExport(organisationID: org, name: name, queryID: queryID) else {
                return SandboxEnvelope.error(.badRequest, "unknown query_id \(queryID)")
            }
            return SandboxEnvelope.ok(SandboxState.json(export))
        }

        router.get("/v1/exports/:id/executions") { request, context -> Response in
            let id = context.parameters.get("id") ?? ""
            guard await state.export(id) != nil else { return notFound() }
            var items: [SandboxJSON] = []
            for execution in await state.executions(of: id) { items.append(await state.json(execution)) }
            return sandboxPage(items, request: request, defaultSize: pageSize)
        }

        router.post("/v1/exports/:id/executions") { request, context -> Response in
            var request = request
            guard let body = try await request.jsonObject(), body.isEmpty else {
                return SandboxEnvelope.error(.badRequest, "the body must be an empty JSON object: {}")
            }
            guard let execution = await state.startExecution(exportID: context.parameters.get("id") ?? "") else {
                return notFound()
            }
            return SandboxEnvelope.ok(await state.json(execution))
        }

        router.post("/v1/datamarts/:dm/queries") { request, context -> Response in
            var request = request
            guard let body = try await request.jsonObject(), let text = body["query_text"] as? String else {
                return SandboxEnvelope.error(.badRequest, "expected {datamart_id, query_language, query_text}")
            }
            let language = body["query_language"] as? String ?? "OTQL"
            let query = await state.addQuery(
                datamartID: context.parameters.get("dm") ?? "",
                language: language,
                text: text
            )
            return SandboxEnvelope.ok(SandboxState.json(query))
        }

        router.get("/v1/datamarts/:dm/queries/:qid") { _, context -> Response in
            guard let query = await state.queries[context.parameters.get("qid") ?? ""],
                query.datamartID == context.parameters.get("dm")
            else { return notFound() }
            return SandboxEnvelope.ok(SandboxState.json(query))
        }
    }

    package static func notFound() -> Response {
        SandboxEnvelope.error(.notFound, "Resource Not Found")
    }

    package static func looseString(_ value: Any?) -> String? {
        if let s = value as? String { return s }
        if let n = value as? NSNumber { return n.stringValue }
        return nil
    }
}
