// The stack of scripts/polyglot/app.ts, written in Go with the Go module built into dist/go: what a Go user writes.
// It synthesizes into $CDK_OUTDIR, then checks that a mistake fails synth with the library's message, as a Go panic.
// scripts/test-go.sh runs it and compares the template with the TypeScript one.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-ssm-ops/cdk-ssm-ops-go/cdkssmops"
)

func newStack(app awscdk.App) awscdk.Stack {
	return awscdk.NewStack(app, jsii.String("CdkSsmOpsPolyglot"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})
}

func buildStack(stack awscdk.Stack) {
	health := awscloudwatch.Alarm_FromAlarmArn(stack, jsii.String("Health"),
		jsii.String("arn:aws:cloudwatch:us-east-1:111111111111:alarm:fleet-health"))
	alarms := &cdkssmops.AlarmConfiguration{Alarms: &[]awscloudwatch.IAlarm{health}}

	harden := cdkssmops.NewCommandDocument(stack, jsii.String("Harden"), &cdkssmops.CommandDocumentProps{
		DocumentName: jsii.String("Harden-Linux"),
		Parameters: &map[string]cdkssmops.DocumentParameter{
			"level": cdkssmops.DocumentParameter_String(&cdkssmops.StringParameterOptions{
				AllowedValues: jsii.Strings("low", "high"),
				Default:       jsii.String("high"),
			}),
			"reboot": cdkssmops.DocumentParameter_Boolean(&cdkssmops.BooleanParameterOptions{Default: jsii.Bool(false)}),
		},
		Steps: &[]cdkssmops.CommandStep{
			cdkssmops.CommandStep_RunShellScript(jsii.String("apply"), &cdkssmops.RunScriptStepOptions{
				Commands: jsii.Strings("./harden.sh {{ level }} {{ reboot }}"),
				Platform: cdkssmops.Platform_LINUX,
				Timeout:  awscdk.Duration_Minutes(jsii.Number(10)),
			}),
		},
	})

	cdkssmops.NewAssociation(stack, jsii.String("HardenWeb"), &cdkssmops.AssociationProps{
		Document:   harden,
		Parameters: &map[string]*[]*string{"level": jsii.Strings("high")},
		Targets:    &[]cdkssmops.Target{cdkssmops.Target_Tag(jsii.String("Role"), jsii.String("web"))},
		Schedule: cdkssmops.AssociationSchedule_Cron(&cdkssmops.AssociationCronOptions{
			Hour: jsii.String("2"), Minute: jsii.String("0"), WeekDay: jsii.String("SUN"),
		}),
		MaxConcurrency:     cdkssmops.Concurrency_Percentage(jsii.Number(10)),
		MaxErrors:          cdkssmops.ErrorThreshold_Count(jsii.Number(1)),
		AlarmConfiguration: alarms,
	})

	window := cdkssmops.NewMaintenanceWindow(stack, jsii.String("Patching"), &cdkssmops.MaintenanceWindowProps{
		Schedule: cdkssmops.MaintenanceWindowSchedule_Cron(&cdkssmops.MaintenanceWindowCronOptions{
			WeekDay: jsii.String("SUN"), Hour: jsii.String("3"), Minute: jsii.String("0"),
		}),
		Duration: awscdk.Duration_Hours(jsii.Number(4)),
		Cutoff:   awscdk.Duration_Hours(jsii.Number(1)),
		TimeZone: awscdk.TimeZone_EUROPE_LONDON(),
	})
	web := window.AddTarget(jsii.String("Web"), &cdkssmops.MaintenanceWindowTargetOptions{
		Targets: &[]cdkssmops.Target{cdkssmops.Target_Tag(jsii.String("Role"), jsii.String("web"))},
	})
	window.AddTask(jsii.String("Patch"), &cdkssmops.MaintenanceWindowTaskOptions{
		Task: cdkssmops.TaskAction_RunCommand(&cdkssmops.RunCommandTaskOptions{
			Document:   cdkssmops.AwsManagedDocument_RUN_PATCH_BASELINE(),
			Parameters: &map[string]*[]*string{"Operation": jsii.Strings("Install")},
		}),
		Targets:        &[]cdkssmops.ITaskTarget{web},
		Priority:       jsii.Number(1),
		MaxConcurrency: cdkssmops.Concurrency_Count(jsii.Number(2)),
		MaxErrors:      cdkssmops.ErrorThreshold_Count(jsii.Number(0)),
		CutoffBehavior: cdkssmops.CutoffBehavior_CANCEL_TASK,
		AlarmConfiguration: &cdkssmops.AlarmConfiguration{
			Alarms:                 &[]awscloudwatch.IAlarm{health},
			IgnorePollAlarmFailure: jsii.Bool(true),
		},
	})

	install := cdkssmops.NewRunCommand(stack, jsii.String("InstallAgent"), &cdkssmops.RunCommandProps{
		Document:   cdkssmops.AwsManagedDocument_RUN_SHELL_SCRIPT(),
		Parameters: &map[string]*[]*string{"commands": jsii.Strings("yum install -y my-agent")},
		Targets: &[]cdkssmops.Target{
			cdkssmops.Target_Tag(jsii.String("Role"), jsii.String("web")),
			cdkssmops.Target_Tag(jsii.String("Env"), jsii.String("prod")),
		},
		MaxConcurrency:     cdkssmops.Concurrency_Percentage(jsii.Number(25)),
		MaxErrors:          cdkssmops.ErrorThreshold_Count(jsii.Number(0)),
		Timeout:            awscdk.Duration_Minutes(jsii.Number(20)),
		Triggers:           &map[string]*string{"version": jsii.String("1.4.2")},
		AlarmConfiguration: alarms,
	})
	awscdk.NewCfnOutput(stack, jsii.String("CommandId"), &awscdk.CfnOutputProps{Value: install.CommandId()})
}

// synthError returns the message of the panic with which a zero maxConcurrency fails synth.
func synthError() (message string) {
	defer func() {
		if r := recover(); r != nil {
			message = fmt.Sprint(r)
		}
	}()
	stack := newStack(awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false), Outdir: jsii.String(os.TempDir())}))
	cdkssmops.NewAssociation(stack, jsii.String("Patch"), &cdkssmops.AssociationProps{
		Document:       cdkssmops.AwsManagedDocument_RUN_PATCH_BASELINE(),
		Parameters:     &map[string]*[]*string{"Operation": jsii.Strings("Install")},
		Targets:        &[]cdkssmops.Target{cdkssmops.Target_AllManagedNodes()},
		MaxConcurrency: cdkssmops.Concurrency_Percentage(jsii.Number(0)),
	})
	return ""
}

func main() {
	defer jsii.Close()

	// The CDKMetadata resource is left out in every language: it records the jsii runtime's language and version.
	app := awscdk.NewApp(&awscdk.AppProps{AnalyticsReporting: jsii.Bool(false)})
	buildStack(newStack(app))
	app.Synth(nil)

	message := synthError()
	if !strings.Contains(message, "CdkSsmOpsPolyglot/Patch: maxConcurrency '0%'") {
		fmt.Fprintf(os.Stderr, "test/go: a zero maxConcurrency should fail synth with the library's message; got %q\n", message)
		os.Exit(1)
	}
	fmt.Printf("test/go: a zero maxConcurrency fails synth in Go with: %s\n", strings.SplitN(message, "\n", 2)[0])
}
