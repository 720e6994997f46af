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
USER $APP_UID
ENTRYPOINT ["./followupbot"]
CMD ["run"]
