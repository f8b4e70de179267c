; 整改台账 — Inno Setup 6 script: installs dist\ledger-app\ for the current user, no administrator rights needed.
;
;   python packaging\build.py                  builds dist\ledger-app\ and writes build\installer\version.iss
;   iscc packaging\windows\installer.iss       → dist\ledger-app-<version>-setup.exe
;
; Needs Inno Setup 6.3 or newer ("x64compatible"). This file is UTF-8 with a BOM: keep it so when editing.
; Chinese wizard texts: Inno Setup does not ship ChineseSimplified.isl; put the unofficial translation
; (https://jrsoftware.org/files/istrans/ → Chinese (Simplified)) into Inno Setup's Languages folder or
; next to this script. Without it the wizard's own buttons are English; our own texts below stay Chinese.

#define Root AddBackslash(SourcePath) + "..\.."
#define VersionInclude Root + "\build\installer\version.iss"
#if FileExists(VersionInclude)
  #include VersionInclude
#endif
#ifndef AppVersion
  #error build\installer\version.iss is missing: run "python packaging\build.py" first (it holds the version from pyproject.toml)
#endif
#if !FileExists(Root + "\dist\ledger-app\ledger-app.exe")
  #error dist\ledger-app\ledger-app.exe is missing: run "python packaging\build.py" on this Windows machine first
#endif

#define AppName "整改台账"
#define AppExe "ledger-app.exe"
#define CliExe "ledger-cli.exe"

[Setup]
; The AppId identifies the program for upgrades and the uninstaller: never change it.
AppId={{8C1F6E52-5D0B-4C5E-9E7A-2B7F0C9D4A13}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}开发组
VersionInfoVersion={#AppVersionQuad}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
; Clerks have no administrator rights: install per user (%LOCALAPPDATA%\Programs\整改台账) by default;
; an administrator may choose "all users" in the first dialog ({autopf} then means Program Files).
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6.11 needs Windows 10 1809 (build 17763) or newer: without this, Windows 10 LTSB 2016 (1607), common
; in government offices, would install the program and then fail to start it.
MinVersion=10.0.17763
OutputDir={#Root}\dist
OutputBaseFilename=ledger-app-{#AppVersion}-setup
SetupIconFile={#Root}\resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
; A running 整改台账 is asked to close before its files are replaced (Restart Manager).
CloseApplications=yes
RestartApplications=no

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
Name: "chs"; MessagesFile: "{#AddBackslash(SourcePath)}ChineseSimplified.isl"
#else
  #pragma warning "ChineseSimplified.isl not found: the wizard's buttons will be English (see the comment at the top)"
Name: "en"; MessagesFile: "compiler:Default.isl"
#endif

[CustomMessages]
; Without a language prefix: used whatever the wizard's language.
DesktopIconTask=在桌面创建“整改台账”快捷方式
IconsGroup=快捷方式:
LaunchApp=立即启动整改台账
SelfTestName=整改台账 自检
SelfTestComment=检查本机能否正常使用整改台账(约 10 秒)
UninstallName=卸载 整改台账

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIconTask}"; GroupDescription: "{cm:IconsGroup}"

[InstallDelete]
; An upgrade replaces the whole library folder: files an older release had but this one dropped
; (an old migration script, say) must not linger. Ledgers are never here: they live in the user's
; data folder (%LOCALAPPDATA%\ledger_app) or wherever the clerk saved them.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Root}\dist\ledger-app\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{#AppName} {#AppVersion}"
; The windowed program shows the self-test itself: group policy often disables cmd.exe.
Name: "{group}\{cm:SelfTestName}"; Filename: "{app}\{#AppExe}"; Parameters: "--self-test --window"; WorkingDir: "{app}"; Comment: "{cm:SelfTestComment}"
Name: "{group}\{cm:UninstallName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent
