// Prints what authentication costs on this host: Argon2id hashing at the
// default and alternative parameters (how many sign-ins per second a core
// sustains), and the per-request overhead of access-token checks, refresh-token
// hashing and the login throttle. Figures only; nothing is asserted.

#include "auth/accesstokenservice.h"
#include "auth/inmemoryloginthrottle.h"
#include "auth/passwordhasher.h"
#include "auth/refreshtokenservice.h"
#include "auth/securerandom.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

struct Stats
{
    double median;
    double min;
    double max;
};

// Runs `work` `runs` times; each sample is the mean over `batch` calls, in µs.
Stats measure(int runs, int batch, const std::function<void()> &work)
{
    std::vector<double> samples;
    work(); // warm-up
    for (int run = 0; run < runs; ++run) {
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < batch; ++i)
            work();
        samples.push_back(double(timer.nsecsElapsed()) / 1000.0 / batch);
    }
    std::sort(samples.begin(), samples.end());
    return { samples[samples.size() / 2], samples.front(), samples.back() };
}

void argon2Row(const char *label, Argon2Params params, int runs)
{
    auto hasher = PasswordHasher::create(params);
    if (!hasher) {
        std::printf("%-34s  cannot create: %s\n", label, qPrintable(hasher.error().message));
        return;
    }
    const QString encoded = *hasher->hash(u"correct horse battery staple"_s);
    const Stats s =
        measure(runs, 1, [&] { (void)hasher->verify(u"correct horse battery staple"_s, encoded); });
    std::printf("%-34s  m=%7u KiB t=%u p=%u  median %7.1f ms  (min %7.1f, max %7.1f)  "
                "%6.1f sign-ins/s per core\n",
                label, params.memoryKiB, params.iterations, params.parallelism, s.median / 1000,
                s.min / 1000, s.max / 1000, 1e6 / s.median);
}

void microRow(const char *label, const Stats &s)
{
    std::printf("%-34s  median %8.2f us  (min %8.2f, max %8.2f)  %9.0f /s per core\n", label,
                s.median, s.min, s.max, 1e6 / s.median);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::printf("Argon2id verify (one sign-in), median of runs:\n");
    argon2Row("default (OWASP 19 MiB, t=2)", Argon2Params {}, 15);
    argon2Row("OWASP 46 MiB, t=1", Argon2Params { 47104, 1, 1 }, 9);
    argon2Row("OWASP 12 MiB, t=3", Argon2Params { 12288, 3, 1 }, 9);
    argon2Row("OWASP 7 MiB, t=5", Argon2Params { 7168, 5, 1 }, 9);
    argon2Row("RFC 9106 second choice, 64 MiB", Argon2Params { 65536, 3, 4 }, 5);
    argon2Row("RFC 9106 second choice, p=1", Argon2Params { 65536, 3, 1 }, 5);

    // An unknown email must cost what a wrong password costs, or sign-in leaks
    // which accounts exist; the ratio should sit near 1.
    {
        const auto hasher = PasswordHasher::create(Argon2Params {});
        const QString encoded = *hasher->hash(u"the real password"_s);
        const Stats real =
            measure(9, 1, [&] { (void)hasher->verify(u"a wrong guess"_s, encoded); });
        const Stats dummy = measure(9, 1, [&] { hasher->verifyDummy(u"a wrong guess"_s); });
        std::printf("%-34s  median %7.1f ms vs %7.1f ms  ratio %.2f\n",
                    "unknown email vs wrong password", dummy.median / 1000, real.median / 1000,
                    dummy.median / real.median);
    }

    std::printf("\nPer-request overhead, median of 15 runs of 2000 calls:\n");
    const auto keys = JwtKeyRing::create({ u"k1"_s, *SecureRandom::bytes(32) });
    const AccessTokenService tokens(*keys);
    const QString token = tokens.issue(u"0b9c6f2e-8f5e-4c1e-9d3a-1f2e3d4c5b6a"_s, u"user"_s)->token;
    microRow("access token verify", measure(15, 2000, [&] { (void)tokens.verify(token); }));
    microRow("access token issue",
             measure(15, 2000, [&] { (void)tokens.issue(u"user-id"_s, u"user"_s); }));
    const QString refresh = *SecureRandom::token(32);
    microRow("refresh token hash",
             measure(15, 2000, [&] { (void)RefreshTokenService::hashToken(refresh); }));
    microRow("refresh token generate", measure(15, 2000, [] { (void)SecureRandom::token(32); }));

    LoginThrottleSettings generous;
    generous.accountMaxFailures = 1 << 30;
    generous.addressMaxFailures = 1 << 30;
    InMemoryLoginThrottle throttle(generous);
    int n = 0;
    const QStringList accounts = [] {
        QStringList list;
        for (int i = 0; i < 1000; ++i)
            list << u"user"_s + QString::number(i) + u"@example.com"_s;
        return list;
    }();
    microRow("login throttle admit+succeeded", measure(15, 2000, [&] {
                 const QString &account = accounts[n++ % accounts.size()];
                 (void)throttle.admit(account, u"192.0.2.1"_s);
                 throttle.succeeded(account, u"192.0.2.1"_s);
             }));
    return 0;
}
