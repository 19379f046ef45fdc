#pragma once

#include <QObject>

class QQmlEngine;

// The composition root of the client: owns the long-lived C++ objects (API
// client, session, models, controllers, platform adapters), wires them
// together, and hands them to QML as singletons of Parlance.Client. main.cpp
// and the Qt Quick tests create exactly one.
class ClientServices : public QObject
{
    Q_OBJECT

public:
    explicit ClientServices(QObject *parent = nullptr);
    ~ClientServices() override;

    // Registers every object as a singleton instance of the Parlance.Client
    // module. Call once, before the first QML file loads.
    void exposeTo(QQmlEngine &engine);
};
