#include "http/openapi.h"

#include "http/router.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace parlance::http {

QString openApiPath(const QString &templ, const QStringList &paramNames)
{
    QString out = templ;
    for (const QString &name : paramNames) {
        const qsizetype at = out.indexOf(u"<arg>"_s);
        if (at < 0)
            break;
        out.replace(at, 5, u'{' + name + u'}');
    }
    return out;
}

namespace {
QJsonObject errorRef(const QString &description)
{
    return QJsonObject {
        { u"description"_s, description },
        { u"content"_s,
          QJsonObject {
              { u"application/json"_s,
                QJsonObject {
                    { u"schema"_s,
                      QJsonObject { { u"$ref"_s, u"#/components/schemas/Error"_s } } } } } } },
    };
}

QJsonObject errorSchema()
{
    const QJsonObject inner {
        { u"type"_s, u"object"_s },
        { u"required"_s, QJsonArray { u"code"_s, u"message"_s } },
        { u"properties"_s,
          QJsonObject {
              { u"code"_s,
                QJsonObject { { u"type"_s, u"string"_s },
                              { u"description"_s, u"Stable machine-readable code"_s } } },
              { u"message"_s, QJsonObject { { u"type"_s, u"string"_s } } },
              { u"retry_after"_s,
                QJsonObject { { u"type"_s, u"integer"_s },
                              { u"description"_s, u"Seconds before a retry may succeed"_s } } },
          } },
    };
    return QJsonObject {
        { u"type"_s, u"object"_s },
        { u"required"_s, QJsonArray { u"error"_s } },
        { u"properties"_s, QJsonObject { { u"error"_s, inner } } },
    };
}

QJsonObject operation(const Route &route)
{
    QJsonObject op {
        { u"summary"_s, route.summary },
        { u"operationId"_s,
          QString(methodName(route.method).toString().toLower() + u'_'
                  + QString(route.path).replace(u"<arg>"_s, u"arg"_s).replace(u'/', u'_')) },
        { u"tags"_s, QJsonArray { route.tag } },
    };
    QJsonArray params;
    for (const QString &name : route.paramNames) {
        params.append(QJsonObject { { u"name"_s, name },
                                    { u"in"_s, u"path"_s },
                                    { u"required"_s, true },
                                    { u"schema"_s, QJsonObject { { u"type"_s, u"string"_s } } } });
    }
    if (!params.isEmpty())
        op.insert(u"parameters"_s, params);
    QJsonObject responses {
        { u"2XX"_s, QJsonObject { { u"description"_s, u"Success"_s } } },
        { u"default"_s, errorRef(u"Error"_s) },
    };
    if (route.access == Access::Public) {
        op.insert(u"security"_s, QJsonArray {});
    } else {
        op.insert(u"security"_s, QJsonArray { QJsonObject { { u"bearer"_s, QJsonArray {} } } });
        responses.insert(u"401"_s, errorRef(u"Missing, invalid or expired access token"_s));
        if (route.access == Access::Admin)
            responses.insert(u"403"_s, errorRef(u"The caller is not an administrator"_s));
    }
    if (route.method == Method::Post || route.method == Method::Put
        || route.method == Method::Patch) {
        op.insert(
            u"requestBody"_s,
            QJsonObject {
                { u"content"_s,
                  QJsonObject {
                      { u"application/json"_s,
                        QJsonObject {
                            { u"schema"_s, QJsonObject { { u"type"_s, u"object"_s } } } } } } } });
    }
    op.insert(u"responses"_s, responses);
    return op;
}
} // namespace

QJsonObject openApiDocument(const Router &router, const QString &version)
{
    QJsonObject paths;
    for (const Route &route : router.routes()) {
        const QString path = openApiPath(route.path, route.paramNames);
        QJsonObject item = paths.value(path).toObject();
        item.insert(methodName(route.method).toString().toLower(), operation(route));
        paths.insert(path, item);
    }
    return QJsonObject {
        { u"openapi"_s, u"3.0.3"_s },
        { u"info"_s,
          QJsonObject { { u"title"_s, u"Parlance API"_s },
                        { u"version"_s, version },
                        { u"description"_s,
                          u"Generated from parlanced's route table. Every error is "
                          u"{\"error\":{\"code\",\"message\",\"retry_after\"?}}."_s } } },
        { u"paths"_s, paths },
        { u"components"_s,
          QJsonObject {
              { u"schemas"_s, QJsonObject { { u"Error"_s, errorSchema() } } },
              { u"securitySchemes"_s,
                QJsonObject { { u"bearer"_s,
                                QJsonObject { { u"type"_s, u"http"_s },
                                              { u"scheme"_s, u"bearer"_s },
                                              { u"bearerFormat"_s, u"JWT"_s } } } } },
          } },
    };
}

} // namespace parlance::http
