// The stack of scripts/polyglot/app.ts, written in Java with the jar built into dist/java: what a Java user writes.
// It synthesizes into $CDK_OUTDIR, then checks that a mistake fails synth with the library's message, as a Java
// exception. scripts/test-java.sh runs it and compares the template with the TypeScript one.
package polyglot;

import io.github.cdkssmops.AlarmConfiguration;
import io.github.cdkssmops.Association;
import io.github.cdkssmops.AssociationCronOptions;
import io.github.cdkssmops.AssociationSchedule;
import io.github.cdkssmops.AwsManagedDocument;
import io.github.cdkssmops.BooleanParameterOptions;
import io.github.cdkssmops.CommandDocument;
import io.github.cdkssmops.CommandStep;
import io.github.cdkssmops.Concurrency;
import io.github.cdkssmops.CutoffBehavior;
import io.github.cdkssmops.DocumentParameter;
import io.github.cdkssmops.ErrorThreshold;
import io.github.cdkssmops.MaintenanceWindow;
import io.github.cdkssmops.MaintenanceWindowCronOptions;
import io.github.cdkssmops.MaintenanceWindowSchedule;
import io.github.cdkssmops.MaintenanceWindowTarget;
import io.github.cdkssmops.MaintenanceWindowTargetOptions;
import io.github.cdkssmops.MaintenanceWindowTaskOptions;
import io.github.cdkssmops.Platform;
import io.github.cdkssmops.RunCommand;
import io.github.cdkssmops.RunCommandTaskOptions;
import io.github.cdkssmops.RunScriptStepOptions;
import io.github.cdkssmops.StringParameterOptions;
import io.github.cdkssmops.Target;
import io.github.cdkssmops.TaskAction;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.TimeZone;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.IAlarm;

public final class PolyglotApp {
    private PolyglotApp() {
    }

    private static Stack newStack(final App app) {
        return new Stack(app, "CdkSsmOpsPolyglot", StackProps.builder()
                .env(Environment.builder().account("111111111111").region("us-east-1").build())
                .build());
    }

    private static void buildStack(final Stack stack) {
        IAlarm health = Alarm.fromAlarmArn(stack, "Health", "arn:aws:cloudwatch:us-east-1:111111111111:alarm:fleet-health");
        AlarmConfiguration alarms = AlarmConfiguration.builder().alarms(List.of(health)).build();

        CommandDocument harden = CommandDocument.Builder.create(stack, "Harden")
                .documentName("Harden-Linux")
                .parameters(Map.of(
                        "level", DocumentParameter.string(StringParameterOptions.builder()
                                .allowedValues(List.of("low", "high"))
                                .defaultValue("high")
                                .build()),
                        "reboot", DocumentParameter.doBoolean(BooleanParameterOptions.builder().defaultValue(false).build())))
                .steps(List.of(CommandStep.runShellScript("apply", RunScriptStepOptions.builder()
                        .commands(List.of("./harden.sh {{ level }} {{ reboot }}"))
                        .platform(Platform.LINUX)
                        .timeout(Duration.minutes(10))
                        .build())))
                .build();

        Association.Builder.create(stack, "HardenWeb")
                .document(harden)
                .parameters(Map.of("level", List.of("high")))
                .targets(List.of(Target.tag("Role", "web")))
                .schedule(AssociationSchedule.cron(AssociationCronOptions.builder().hour("2").minute("0").weekDay("SUN").build()))
                .maxConcurrency(Concurrency.percentage(10))
                .maxErrors(ErrorThreshold.count(1))
                .alarmConfiguration(alarms)
                .build();

        MaintenanceWindow window = MaintenanceWindow.Builder.create(stack, "Patching")
                .schedule(MaintenanceWindowSchedule.cron(MaintenanceWindowCronOptions.builder()
                        .weekDay("SUN").hour("3").minute("0").build()))
                .duration(Duration.hours(4))
                .cutoff(Duration.hours(1))
                .timeZone(TimeZone.EUROPE_LONDON)
                .build();
        MaintenanceWindowTarget web = window.addTarget("Web", MaintenanceWindowTargetOptions.builder()
                .targets(List.of(Target.tag("Role", "web")))
                .build());
        window.addTask("Patch", MaintenanceWindowTaskOptions.builder()
                .task(TaskAction.runCommand(RunCommandTaskOptions.builder()
                        .document(AwsManagedDocument.RUN_PATCH_BASELINE)
                        .parameters(Map.of("Operation", List.of("Install")))
                        .build()))
                .targets(List.of(web))
                .priority(1)
                .maxConcurrency(Concurrency.count(2))
                .maxErrors(ErrorThreshold.count(0))
                .cutoffBehavior(CutoffBehavior.CANCEL_TASK)
                .alarmConfiguration(AlarmConfiguration.builder().alarms(List.of(health)).ignorePollAlarmFailure(true).build())
                .build());

        RunCommand install = RunCommand.Builder.create(stack, "InstallAgent")
                .document(AwsManagedDocument.RUN_SHELL_SCRIPT)
                .parameters(Map.of("commands", List.of("yum install -y my-agent")))
                .targets(List.of(Target.tag("Role", "web"), Target.tag("Env", "prod")))
                .maxConcurrency(Concurrency.percentage(25))
                .maxErrors(ErrorThreshold.count(0))
                .timeout(Duration.minutes(20))
                .triggers(Map.of("version", "1.4.2"))
                .alarmConfiguration(alarms)
                .build();
        CfnOutput.Builder.create(stack, "CommandId").value(install.getCommandId()).build();
    }

    /** The message with which a zero maxConcurrency fails synth, or null if it does not. */
    private static String synthError() throws java.io.IOException {
        App app = new App(AppProps.builder()
                .analyticsReporting(false)
                .outdir(Files.createTempDirectory("polyglot-java").toString())
                .build());
        try {
            Association.Builder.create(newStack(app), "Patch")
                    .document(AwsManagedDocument.RUN_PATCH_BASELINE)
                    .parameters(Map.of("Operation", List.of("Install")))
                    .targets(List.of(Target.allManagedNodes()))
                    .maxConcurrency(Concurrency.percentage(0))
                    .build();
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    public static void main(final String[] args) throws java.io.IOException {
        // The CDKMetadata resource is left out in every language: it records the jsii runtime's language and version.
        App app = new App(AppProps.builder().analyticsReporting(false).build());
        buildStack(newStack(app));
        app.synth();

        String message = synthError();
        if (message == null || !message.contains("CdkSsmOpsPolyglot/Patch: maxConcurrency '0%'")) {
            System.err.println("test/java: a zero maxConcurrency should fail synth with the library's message; got " + message);
            System.exit(1);
        }
        System.out.println("test/java: a zero maxConcurrency fails synth in Java with: " + message.split("\n", 2)[0]);
    }
}
