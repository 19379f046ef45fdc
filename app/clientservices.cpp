#include "clientservices.h"

#include <QQmlEngine>

ClientServices::ClientServices(QObject *parent)
    : QObject(parent)
{
}

ClientServices::~ClientServices() = default;

void ClientServices::exposeTo(QQmlEngine &engine)
{
    Q_UNUSED(engine)
}
