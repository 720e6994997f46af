# FollowUpBot: build with the SDK, run on the ASP.NET runtime as a non-root user.
# docker build -t followupbot . && docker run --env-file .env -v followupbot-data:/data followupbot

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY bot-config/ bot-config/
COPY src/ src/
RUN dotnet publish src/FollowUpBot.Host/FollowUpBot.Host.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# The coaches' digest chart is drawn with DejaVu Sans (the runtime image ships no fonts; see ChartFonts).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# The shipped configuration; mount your own folder over /app/bot-config to tune the playbook.
COPY bot-config/ ./bot-config/
# The SQLite database lives on a volume, owned by the image's non-root "app" user.
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
ENV FOLLOWUPBOT_Storage__ConnectionString="Data Source=/data/followupbot.db" \
    FOLLOWUPBOT_Host__Urls="http://+:8080"
EXPOSE 8080
# Ready means members are being served: the database answers on a fresh connection, the scheduler runs, and every
# configured platform is connected (503 names the part that is not). The image has no curl: bash's /dev/tcp asks.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# docker stop sends SIGTERM: the bot finishes what is in flight and exits 0 within 5 s.
STOPSIGNAL SIGTERM
USER $APP_UID
ENTRYPOINT ["./followupbot"]
CMD ["run"]
