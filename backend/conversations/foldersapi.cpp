#include "contract/apipaths.h"
#include "conversations/conversationrequests.h"
#include "conversations/conversationsapi.h"
#include "conversations/conversationservice.h"
#include "domain/jsonwriter.h"
#include "http/requestcontext.h"
#include "http/router.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;
using namespace parlance::http;

namespace parlance {

namespace {

using Service = std::shared_ptr<ConversationService>;

auto answerFolder(RequestContext &ctx, int status)
{
    return [&ctx, status](Result<Folder> result) {
        if (!result)
            return ctx.respondError(result.error());
        if (status == 201)
            ctx.addResponseHeader("Location", api::path(api::Folder, result->id).toUtf8());
        ctx.respondJsonText(status, toJsonText(*result));
    };
}

} // namespace

FoldersApi::FoldersApi(Service service)
    : m_service(std::move(service))
{ }

void FoldersApi::registerRoutes(Router &router) const
{
    const Service svc = m_service;

    router.add(Method::Post, api::Folders, Access::User,
               u"Create a folder (parent_id: a top-level folder; folders nest one level)"_s,
               [svc](RequestContext &ctx) {
                   auto json = ctx.jsonObject();
                   if (!json)
                       return ctx.respondError(json.error());
                   auto folder = requests::newFolder(*json);
                   if (!folder)
                       return ctx.respondError(folder.error());
                   ctx.runOnWorker(
                       [svc, user = ctx.user().userId, f = *folder] {
                           return svc->createFolder(user, f.first, f.second);
                       },
                       answerFolder(ctx, 201));
               });

    router.add(Method::Get, api::Folders, Access::User, u"The caller's folders, by name"_s,
               [svc](RequestContext &ctx) {
                   ctx.runOnWorker(
                       [svc, user = ctx.user().userId] { return svc->listFolders(user); },
                       [&ctx](Result<QList<Folder>> folders) {
                           if (!folders)
                               return ctx.respondError(folders.error());
                           JsonText out;
                           out.beginObject().key("folders"_L1).beginArray();
                           for (const Folder &f : *folders)
                               f.writeJson(out);
                           ctx.respondJsonText(200, out.endArray().endObject().take());
                       });
               });

    router
        .add(Method::Get, api::Folder, Access::User, u"Get a folder"_s,
             [svc](RequestContext &ctx) {
                 ctx.runOnWorker([svc, user = ctx.user().userId,
                                  id = ctx.pathArg()] { return svc->getFolder(user, id); },
                                 answerFolder(ctx, 200));
             })
        .paramNames = { u"folder_id"_s };

    router
        .add(Method::Patch, api::Folder, Access::User, u"Rename or move a folder"_s,
             [svc](RequestContext &ctx) {
                 auto json = ctx.jsonObject();
                 if (!json)
                     return ctx.respondError(json.error());
                 auto patch = requests::folderPatch(*json);
                 if (!patch)
                     return ctx.respondError(patch.error());
                 ctx.runOnWorker([svc, user = ctx.user().userId, id = ctx.pathArg(),
                                  p = *patch] { return svc->updateFolder(user, id, p); },
                                 answerFolder(ctx, 200));
             })
        .paramNames = { u"folder_id"_s };

    router
        .add(Method::Delete, api::Folder, Access::User,
             u"Delete a folder: its conversations leave the folder, its subfolders move to the "
             u"top level"_s,
             [svc](RequestContext &ctx) {
                 ctx.runOnWorker([svc, user = ctx.user().userId,
                                  id = ctx.pathArg()] { return svc->deleteFolder(user, id); },
                                 [&ctx](Status status) {
                                     if (!status)
                                         return ctx.respondError(status.error());
                                     ctx.respondEmpty();
                                 });
             })
        .paramNames = { u"folder_id"_s };
}

} // namespace parlance
